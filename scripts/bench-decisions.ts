/**
 * Decision register figures: `node scripts/bench-decisions.ts [--decisions N]` (also part of
 * `npm run bench`).
 *
 * On a fresh embedded PostgreSQL: one room with N decisions (default 2,000) over five years, each
 * recorded through `recordDecision` in its own transaction as the server does (counter row and
 * all), one in ten superseded by a later one; ten other rooms with as many decisions again, so the
 * room's rows are not the whole table. Printed: p50/p95 of 50 runs per filter, measured around what
 * `GET /api/rooms/:id/decisions` does after authorising (both queries, the mapping to the API
 * shape and the JSON text). Target: p95 under 100 ms for each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createDatabaseClient,
  type Database,
  linkedVersions,
  listDecisions,
  listDecisionYears,
  recordDecision,
  runMigrations,
  seedOrganizations,
  startEmbeddedPostgres,
  toDecision,
} from '@nordraum/db';
import type { DecisionQuery } from '@nordraum/domain';
import { sql } from 'drizzle-orm';

const { values } = parseArgs({ options: { decisions: { type: 'string', default: '2000' } } });
const DECISIONS = Number(values.decisions);
const OTHER_ROOMS = 10;
const RUNS = 50;

const subjects = [
  'Roadmap Datenfabrik',
  'Pilot souveräner Arbeitsplatz',
  'Open-Source-Katalog',
  'Resilienz der Rechenzentren',
  'Once-Only-Nachweise',
  'KI-Leitlinie',
  'Gemeinsame Ausschreibung',
  'Schulungskonzept',
];
const statuses = ['beschlossen', 'beschlossen', 'beschlossen', 'abgelehnt', 'zurückgestellt'] as const;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function fill(db: Database, roomId: string, userId: string, count: number) {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const year = 2022 + Math.floor((index * 5) / count);
    const day = String(1 + (index % 28)).padStart(2, '0');
    const month = String(1 + (index % 12)).padStart(2, '0');
    const supersedes = index % 10 === 9 ? ids[index - 5] : undefined;
    const { decision } = await db.transaction((tx) =>
      recordDecision(tx, {
        roomId,
        date: `${year}-${month}-${day}`,
        title: `${subjects[index % subjects.length]} (${index})`,
        text: `Der Lenkungskreis beschließt zu ${subjects[(index * 7) % subjects.length]}: Umsetzung bis Quartal ${1 + (index % 4)}, Bericht in der nächsten Sitzung. Vorgang ${index}.`,
        status: statuses[index % statuses.length]!,
        meetingId: null,
        agendaItemId: null,
        versionIds: [],
        pendingFollowUps: [],
        supersedes: supersedes ?? null,
        createdBy: userId,
      }),
    );
    ids.push(decision.id);
  }
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-decisions-'));
  const postgres = await startEmbeddedPostgres({ dataDir });
  const client = createDatabaseClient({ url: postgres.url, max: 4 });
  try {
    await runMigrations(postgres.url);
    await seedOrganizations(client.db);
    const { db } = client;
    const sh = (await db.execute<{ id: string }>(sql`select id from organization where code = 'SH'`)).rows[0]!.id;
    const userId = (
      await db.execute<{ id: string }>(sql`insert into "user" (email, name, organization_id, password_hash)
        values ('lk@sh.example', 'Lena Lenk', ${sh}, 'x') returning id`)
    ).rows[0]!.id;
    const rooms = (
      await db.execute<{ id: string }>(
        sql`insert into room (name) select 'Lenkungskreis ' || n from generate_series(0, ${OTHER_ROOMS}) n returning id`,
      )
    ).rows.map((row) => row.id);
    const started = performance.now();
    await fill(db, rooms[0]!, userId, DECISIONS);
    const seconds = (performance.now() - started) / 1000;
    // The other rooms' rows only need to be there: copied in one statement.
    await db.execute(sql`insert into decision (room_id, year, seq, number, date, title, text, status, created_by)
      select r.id, d.year, d.seq, d.number, d.date, d.title, d.text, d.status, d.created_by
      from decision d cross join (select id from room where id <> ${rooms[0]!}) r
      where d.room_id = ${rooms[0]!}`);
    await db.execute(sql`vacuum analyze decision`);
    const roomId = rooms[0]!;
    const filters: Record<string, () => DecisionQuery> = {
      'none (whole register)': () => ({}),
      year: () => ({ year: 2022 + Math.floor(Math.random() * 5) }),
      status: () => ({ status: 'aufgehoben' }),
      'text (one word)': () => ({ q: subjects[Math.floor(Math.random() * subjects.length)]!.split(' ')[0]! }),
      'year + status + text': () => ({ year: 2024, status: 'beschlossen', q: 'Quartal 2' }),
    };
    console.log(
      `Decision register: ${DECISIONS} decisions in the room, ${DECISIONS * rooms.length} in ${rooms.length} rooms (the room's recorded one by one in ${seconds.toFixed(1)} s, ${((seconds * 1000) / DECISIONS).toFixed(2)} ms each)`,
    );
    const plan = await db.execute<{ 'QUERY PLAN': string }>(
      sql`explain analyze select * from decision where room_id = ${roomId} order by year desc, seq desc`,
    );
    const execution = plan.rows.map((row) => row['QUERY PLAN']).find((line) => line.startsWith('Execution Time'));
    console.log(
      `  whole register in PostgreSQL alone: ${execution} (load average now ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
    );
    // Where the whole register's time goes: the rows alone (driver and mapping of columns).
    const rowsOnly: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const before = performance.now();
      await listDecisions(db, roomId, {});
      rowsOnly.push(performance.now() - before);
    }
    rowsOnly.sort((a, b) => a - b);
    console.log(
      `  whole register, rows only: p50 ${percentile(rowsOnly, 50).toFixed(1)} ms, p95 ${percentile(rowsOnly, 95).toFixed(1)} ms`,
    );
    console.log('  | filter | p50 (ms) | p95 (ms) | decisions shown | target p95 < 100 ms |');
    console.log('  |---|---|---|---|---|');
    for (const [name, make] of Object.entries(filters)) {
      const times: number[] = [];
      let shown = 0;
      for (let run = 0; run < RUNS; run += 1) {
        const query = make();
        const before = performance.now();
        const [rows, years] = await Promise.all([listDecisions(db, roomId, query), listDecisionYears(db, roomId)]);
        const versions = await linkedVersions(db, rows);
        const body = JSON.stringify({ decisions: rows.map((row) => toDecision(row, versions)), years });
        times.push(performance.now() - before);
        shown = rows.length;
        if (body.length === 0) throw new Error('empty answer');
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      console.log(
        `  | ${name} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)} | ${shown} | ${p95 < 100 ? 'PASS' : 'FAIL'} |`,
      );
    }
  } finally {
    await client.close();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
