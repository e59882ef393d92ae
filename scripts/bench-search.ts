/**
 * Search figures: `node scripts/bench-search.ts [--documents N]` (also part of `npm run bench`).
 *
 * On a fresh embedded PostgreSQL: 50 rooms and 10,000 documents (six in ten protocols of 2 to 20
 * KB of text, two in ten roadmaps of 20 milestones, two in ten action lists of 30 actions),
 * written through the same function the server's indexer uses. A reader holds a role in a fifth
 * of the rooms. Printed: the time to index everything, the index's size on disk, and p50/p95 of
 * 100 queries each of one word, two words and a prefix as typed, measured around the repository
 * call that `GET /api/search` makes. Target: p95 under 50 ms for each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createDatabaseClient,
  runMigrations,
  searchEntries,
  seedOrganizations,
  startEmbeddedPostgres,
  writeSearchEntries,
} from '@nordraum/db';
import { type ContentEntry, type DocumentKind, parseSearchQuery, passages } from '@nordraum/domain';
import { sql } from 'drizzle-orm';

const { values } = parseArgs({ options: { documents: { type: 'string', default: '10000' } } });
const DOCUMENTS = Number(values.documents);
const ROOMS = 50;
const QUERIES = 100;

const stems = (
  'Register Modernisierung Maßnahme Arbeitsgruppe Lenkungskreis Resilienz Souveränität Verwaltung Schnittstelle ' +
  'Datenschutz Nachweis Fachverfahren Rechenzentrum Ausschreibung Beschaffung Strategie Leitlinie Pilot Betrieb ' +
  'Sicherheit Notfall Übung Plattform Cloud Dienst Portal Antrag Bürger Kommune Land Bund Vertrag Kooperation ' +
  'Evaluation Anforderung Konzept Bericht Protokoll Termin Zuständigkeit Haushalt Mittel Personal Schulung ' +
  'Wissen Daten Katalog Standard Architektur Infrastruktur Netz Migration Prüfung Freigabe Beschluss Auftrag'
).split(' ');
const endings = ['', 'en', 'es', 'n', 's', 'ung', 'plan', 'stelle', 'gesetz', 'konzept'];

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const syllables =
  'ab an be bi da de di ek el en er fa fe ge gi ha he in ka ke ko la le li ma me mo na ne no or pa pe ra re ri sa se so ta te ti to um un va ve wa we'.split(
    ' ',
  );
/** Real words first, then made-up ones; drawn skewed to the front, as word use is (Zipf-like). */
const vocabulary = [
  ...stems.flatMap((stem) => endings.map((ending) => stem + ending)),
  ...Array.from({ length: 4_000 }, () => {
    const word = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(syllables)).join('');
    return word[0]!.toUpperCase() + word.slice(1);
  }),
];
const word = () => vocabulary[Math.floor(random() ** 2.5 * vocabulary.length)]!;
const sentence = (words: number) => Array.from({ length: words }, word).join(' ');
const textOf = (bytes: number) => {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const line = `${sentence(8 + Math.floor(random() * 10))}.`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('\n');
};

function contentOf(kind: DocumentKind): ContentEntry[] {
  if (kind === 'notes')
    return [
      { kind: 'protocol', itemId: null, title: '', body: '', organization: null },
      ...passages(textOf(2_000 + random() * 18_000)).map((body, index) => ({
        kind: 'protocol' as const,
        itemId: `passage-${index}`,
        title: '',
        body,
        organization: null,
      })),
    ];
  const items = Array.from({ length: kind === 'roadmap' ? 20 : 30 }, (_, index) => ({
    kind: kind === 'roadmap' ? ('milestone' as const) : ('action' as const),
    itemId: `item-${index}`,
    title: sentence(4),
    body:
      kind === 'roadmap' ? sentence(20) : `${pick(['Anna Ahrens', 'Bernd Berg', 'Kai Kröger'])}\n${pick(['SH', 'MV'])}`,
    organization: pick(['SH', 'MV']),
  }));
  return [
    { kind: kind === 'roadmap' ? 'roadmap' : 'action_list', itemId: null, title: '', body: '', organization: null },
    ...items,
  ];
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-search-'));
  const postgres = await startEmbeddedPostgres({ dataDir });
  const client = createDatabaseClient({ url: postgres.url, max: 4 });
  try {
    await runMigrations(postgres.url);
    await seedOrganizations(client.db);
    const { db } = client;
    const orgs = await db.execute<{ id: string; code: string }>(sql`select id, code from organization`);
    const sh = orgs.rows.find((org) => org.code === 'SH')!.id;
    const reader = (
      await db.execute<{ id: string }>(sql`insert into "user" (email, name, organization_id, password_hash)
        values ('leser@sh.example', 'Lea Leser', ${sh}, 'x') returning id`)
    ).rows[0]!.id;
    const rooms = (
      await db.execute<{ id: string }>(
        sql`insert into room (name) select 'AG ' || n from generate_series(1, ${ROOMS}) n returning id`,
      )
    ).rows.map((row) => row.id);
    for (const roomId of rooms.slice(0, ROOMS / 5))
      await db.execute(sql`insert into room_member (room_id, user_id, role) values (${roomId}, ${reader}, 'viewer')`);

    const started = performance.now();
    for (let index = 0; index < DOCUMENTS; index += 1) {
      const kind: DocumentKind = index % 10 < 6 ? 'notes' : index % 10 < 8 ? 'roadmap' : 'actions';
      const roomId = rooms[index % ROOMS]!;
      const title = sentence(3);
      const [row] = (
        await db.execute<{ id: string }>(sql`insert into document (room_id, kind, title)
          values (${roomId}, ${kind}, ${title}) returning id`)
      ).rows;
      await writeSearchEntries(db, { id: row!.id, kind, roomId, title }, contentOf(kind));
      if ((index + 1) % 1_000 === 0) process.stderr.write(`${index + 1}/${DOCUMENTS} documents indexed\n`);
    }
    const indexSeconds = (performance.now() - started) / 1000;
    await db.execute(sql`vacuum analyze search_entry`);
    const size = (
      await db.execute<{
        total: string;
        entries: string;
      }>(sql`select pg_size_pretty(pg_total_relation_size('search_entry')) as total,
        (select count(*) from search_entry)::text as entries`)
    ).rows[0]!;

    const viewer = { userId: reader, organizationId: sh, isAdmin: false };
    const kinds = {
      'one word': () => word(),
      'two words': () => `${word()} ${word()}`,
      'prefix as typed': () => word().slice(0, 4),
    };
    console.log(
      `Search: ${DOCUMENTS} documents in ${ROOMS} rooms, ${size.entries} entries; reader in ${ROOMS / 5} rooms`,
    );
    console.log(`  indexing everything: ${indexSeconds.toFixed(1)} s; index on disk (table + indexes): ${size.total}`);
    console.log('  | query | p50 (ms) | p95 (ms) | results (median) | target p95 < 50 ms |');
    console.log('  |---|---|---|---|---|');
    for (const [name, make] of Object.entries(kinds)) {
      const times: number[] = [];
      const counts: number[] = [];
      for (let run = 0; run < QUERIES; run += 1) {
        const query = parseSearchQuery(make());
        const before = performance.now();
        const hits = await searchEntries(db, viewer, { query, limit: 20, offset: 0 });
        times.push(performance.now() - before);
        counts.push(hits.length);
      }
      times.sort((a, b) => a - b);
      counts.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      console.log(
        `  | ${name} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)} | ${percentile(counts, 50)} | ${p95 < 50 ? 'PASS' : 'FAIL'} |`,
      );
    }
  } finally {
    await client.close();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
