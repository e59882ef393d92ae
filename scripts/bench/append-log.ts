/**
 * The append path alone (packages/sync/src/append-log.ts), one batch in flight against two:
 * appends at a fixed rate over a few documents, time from `append` to its answer (p50, p99),
 * edits a commit, and CPU per edit of this process and of the append connections' PostgreSQL
 * backends. The modes alternate in short intervals in one process, so that the drift of a shared
 * machine falls on both alike; no sockets, no Yjs: only what the commit path costs and waits.
 * `node scripts/bench/append-log.ts [--url postgres://...] [--rates 1000,4000] [--seconds 3] [--rounds 4] [--docs 10]`
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runMigrations } from '@nordraum/db';
import pg from 'pg';
import { createAppendLog } from '../../packages/sync/src/append-log.ts';
import { percentile } from './report.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    rates: { type: 'string', default: '1000,4000,8000' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
    docs: { type: 'string', default: '10' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const docCount = Number(values.docs);
const modes = [1, 2];

const name = `nordraum_appendbench_${randomBytes(4).toString('hex')}`;
const serverUrl = new URL(values.url!);
const admin = new pg.Client({ connectionString: serverUrl.toString() });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
await runMigrations(url.toString());
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });

const clockTicks = 100;
/** CPU seconds of a process (user + system), from /proc. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}
async function backendCpu(prefix: string): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name like $1',
    [`${prefix}%`],
  );
  return rows.reduce((sum, row) => sum + cpuOf(row.pid), 0);
}

try {
  const { rows: roomRows } = await pool.query<{ id: string }>(`insert into room (name) values ('bench') returning id`);
  const documents: string[] = [];
  for (let index = 0; index < docCount; index += 1) {
    const { rows } = await pool.query<{ id: string }>(
      `insert into "document" (room_id, kind, title) values ($1, 'notes', 'bench') returning id`,
      [roomRows[0]!.id],
    );
    documents.push(rows[0]!.id);
  }
  const updates = Array.from({ length: 64 }, () => new Uint8Array(randomBytes(24)));
  const logs = new Map(
    modes.map((maxInFlight) => {
      let commits = 0;
      const log = createAppendLog({
        pool,
        instanceId: `bench${maxInFlight}`,
        announce: false,
        maxInFlight,
        onBatch: () => {
          commits += 1;
        },
      });
      return [maxInFlight, { log, commits: () => commits }];
    }),
  );

  async function interval(maxInFlight: number, rate: number) {
    const { log, commits } = logs.get(maxInFlight)!;
    const latencies: number[] = [];
    const pending: Promise<unknown>[] = [];
    const commits0 = commits();
    const database0 = await backendCpu(`nordraum-append-bench${maxInFlight}`);
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    let sent = 0;
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - started) / 1000;
        const due = Math.min(Math.floor(rate * elapsed), Math.floor(rate * seconds)) - sent;
        for (let index = 0; index < due; index += 1) {
          const at = performance.now();
          const documentId = documents[sent % documents.length]!;
          pending.push(
            log.append(documentId, updates[sent % updates.length]!, null).then(() => {
              latencies.push(performance.now() - at);
            }),
          );
          sent += 1;
        }
        if (elapsed >= seconds) {
          clearInterval(timer);
          done();
        }
      }, 1);
    });
    await Promise.all(pending);
    const cpu = process.cpuUsage(cpu0);
    const database = (await backendCpu(`nordraum-append-bench${maxInFlight}`)) - database0;
    latencies.sort((a, b) => a - b);
    return {
      sent,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      perCommit: sent / Math.max(1, commits() - commits0),
      nodeUs: (cpu.user + cpu.system) / sent,
      databaseUs: (database * 1e6) / sent,
    };
  }

  // Warm both: connections open, statements prepared.
  for (const maxInFlight of modes) await interval(maxInFlight, 2000);
  const fmt = (numbers: number[], digits = 1) => numbers.map((n) => n.toFixed(digits)).join(' ');
  for (const rate of values.rates!.split(',').map(Number)) {
    const results = new Map(modes.map((mode) => [mode, [] as Awaited<ReturnType<typeof interval>>[]]));
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? modes : [...modes].reverse();
      for (const mode of order) results.get(mode)!.push(await interval(mode, rate));
    }
    for (const mode of modes) {
      const runs = results.get(mode)!;
      const median = (pick: (run: (typeof runs)[number]) => number) =>
        percentile(
          runs.map(pick).sort((a, b) => a - b),
          50,
        );
      console.log(
        `${rate} edits/s, ${mode} in flight: p50 ${median((r) => r.p50).toFixed(1)} ms, p99 ${median((r) => r.p99).toFixed(1)} ms ` +
          `(rounds: ${fmt(runs.map((r) => r.p99))}), ${median((r) => r.perCommit).toFixed(1)} edits a commit, ` +
          `CPU per edit: here ${median((r) => r.nodeUs).toFixed(0)} us, PostgreSQL ${median((r) => r.databaseUs).toFixed(0)} us`,
      );
    }
  }
  for (const { log } of logs.values()) await log.close();
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
