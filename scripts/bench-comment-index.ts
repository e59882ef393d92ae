/**
 * What the search index costs a comment: `node scripts/bench-comment-index.ts [--database URL]
 * [--rounds R] [--comments N]`, URL a PostgreSQL the script may create databases in (default the
 * local test server's `postgres://postgres@127.0.0.1:5432/postgres`).
 *
 * Two scratch databases, one migrated with this checkout's migrations and one with those of
 * BENCH_SERVER_DIR (another checkout, e.g. the base commit's), so old and new run on the same
 * server. In R (default 5) rounds, alternating old and new: N (default 200) comments of some 170
 * characters with a mention written into a new thread one after another, each in its own
 * statement with its own time (as requests write them), inside PostgreSQL (no network, no
 * server). Printed: milliseconds per insert for comments 1-20, 21-100 and 101-N of the thread
 * (past about 120 comments the thread's search text is at its 20,000 characters), median and
 * range over the rounds, and the same with the search trigger off (what the index adds).
 */
import { parseArgs } from 'node:util';
import { migrationsFolder, runMigrations } from '@nordraum/db';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    rounds: { type: 'string', default: '5' },
    comments: { type: 'string', default: '200' },
  },
});
const ROUNDS = Number(values.rounds);
const COMMENTS = Number(values.comments);
const other = process.env.BENCH_SERVER_DIR;
if (!other) throw new Error('BENCH_SERVER_DIR=<checkout> names the migrations to compare with');

const admin = new URL(values.database);
const urlOf = (name: string) => Object.assign(new URL(admin), { pathname: `/${name}` }).href;

async function scratch(name: string, folder: string) {
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  await client.query(`drop database if exists ${name}`);
  await client.query(`create database ${name}`);
  await client.end();
  await runMigrations(urlOf(name), folder);
  const db = new pg.Client({ connectionString: urlOf(name) });
  await db.connect();
  await db.query(`
    insert into organization (code, name, kind) values ('NI', 'Niedersachsen', 'land') on conflict do nothing;
    insert into "user" (email, name, organization_id, password_hash)
      select 'bea@ni.example', 'Bea Bench', id, 'x' from organization where code = 'NI';
    insert into room (name) values ('AG Bench');
    insert into document (room_id, kind, title) select id, 'notes', 'Protokoll' from room`);
  return db;
}

/** Milliseconds per insert for the buckets of one thread. */
async function thread(db: pg.Client): Promise<number[]> {
  // One function call, so that the time is PostgreSQL's: each insert is its own statement with its
  // own clock (created_at), as requests write them.
  const { rows } = await db.query<{ buckets: number[] }>(`select nordraum_bench_thread($1) as buckets`, [COMMENTS]);
  return rows[0]!.buckets;
}

const benchFunction = `
CREATE OR REPLACE FUNCTION nordraum_bench_thread(n integer) RETURNS float8[] AS $$
DECLARE
  th uuid; u uuid; t0 timestamptz; i integer; out float8[] := '{}';
BEGIN
  SELECT id INTO u FROM "user" LIMIT 1;
  INSERT INTO comment_thread (document_id, anchor, created_by)
    SELECT id, '{"type":"document"}', u FROM document LIMIT 1 RETURNING id INTO th;
  t0 := clock_timestamp();
  FOR i IN 1..n LOOP
    INSERT INTO comment (thread_id, author_id, created_at, body) VALUES (th, u, clock_timestamp(),
      'Wir sollten die Maßnahme ' || i || ' für die Übersicht der Länder prüfen, @[Bea Bench](' || u
      || ') bitte bis Freitag Rückmeldung geben, damit der Lenkungskreis entscheiden kann.');
    IF i IN (20, 100, n) THEN
      out := out || (extract(epoch FROM clock_timestamp() - t0) * 1000
        / (i - CASE i WHEN 20 THEN 0 WHEN 100 THEN 20 ELSE 100 END));
      t0 := clock_timestamp();
    END IF;
  END LOOP;
  RETURN out;
END;
$$ LANGUAGE plpgsql`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const show = (xs: number[]) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;

const targets = [
  { name: 'old', db: await scratch('nordraum_bench_index_old', `${other}/drizzle`) },
  { name: 'new', db: await scratch('nordraum_bench_index_new', migrationsFolder) },
];
const buckets = ['1-20', '21-100', `101-${COMMENTS}`];
const figures = new Map<string, number[][]>();
for (const { db } of targets) await db.query(benchFunction);
for (let round = 0; round < ROUNDS; round += 1) {
  for (const { name, db } of targets) {
    const measured = await thread(db);
    figures.set(name, [...(figures.get(name) ?? []), measured]);
  }
}
// What the comment costs without the index, once per round on the new database.
const bare: number[][] = [];
await targets[1]!.db.query('alter table comment disable trigger comment_search');
for (let round = 0; round < ROUNDS; round += 1) bare.push(await thread(targets[1]!.db));

console.log(`ms per comment insert, median (range) over ${ROUNDS} rounds`);
console.log(`${'comments of the thread'.padEnd(24)}${buckets.map((b) => b.padStart(22)).join('')}`);
for (const [name, rounds] of [...figures, ['no search trigger', bare] as const]) {
  const cells = buckets.map((_, at) => show(rounds.map((r) => r[at]!)).padStart(22));
  console.log(`${name.padEnd(24)}${cells.join('')}`);
}
for (const { db } of targets) await db.end();
const client = new pg.Client({ connectionString: admin.href });
await client.connect();
for (const name of ['nordraum_bench_index_old', 'nordraum_bench_index_new'])
  await client.query(`drop database ${name}`);
await client.end();
