/**
 * The search benchmark's corpus: German-looking text drawn from a fixed seed (real words first,
 * then made-up ones, skewed to the front as word use is), and the seeding of 50 rooms with
 * protocols of 2 to 20 KB, roadmaps and action lists, written through the indexer's own function.
 */
import { type Database, writeSearchEntries } from '@nordraum/db';
import { type ContentEntry, type DocumentKind, passages } from '@nordraum/domain';
import { sql } from 'drizzle-orm';

const stems = (
  'Register Modernisierung Maßnahme Arbeitsgruppe Lenkungskreis Resilienz Souveränität Verwaltung Schnittstelle ' +
  'Datenschutz Nachweis Fachverfahren Rechenzentrum Ausschreibung Beschaffung Strategie Leitlinie Pilot Betrieb ' +
  'Sicherheit Notfall Übung Plattform Cloud Dienst Portal Antrag Bürger Kommune Land Bund Vertrag Kooperation ' +
  'Evaluation Anforderung Konzept Bericht Protokoll Termin Zuständigkeit Haushalt Mittel Personal Schulung ' +
  'Wissen Daten Katalog Standard Architektur Infrastruktur Netz Migration Prüfung Freigabe Beschluss Auftrag'
).split(' ');
const endings = ['', 'en', 'es', 'n', 's', 'ung', 'plan', 'stelle', 'gesetz', 'konzept'];

let seed = 42;
/** The benchmark's own random numbers: the same corpus and queries on every run. */
export const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const syllables =
  'ab an be bi da de di ek el en er fa fe ge gi ha he in ka ke ko la le li ma me mo na ne no or pa pe ra re ri sa se so ta te ti to um un va ve wa we'.split(
    ' ',
  );
const vocabulary = [
  ...stems.flatMap((stem) => endings.map((ending) => stem + ending)),
  ...Array.from({ length: 4_000 }, () => {
    const word = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(syllables)).join('');
    return word[0]!.toUpperCase() + word.slice(1);
  }),
];
/** One word, drawn Zipf-like. */
export const word = () => vocabulary[Math.floor(random() ** 2.5 * vocabulary.length)]!;
/** `words` words separated by spaces. */
export const sentence = (words: number) => Array.from({ length: words }, word).join(' ');

/** Lines of sentences, about `bytes` characters in all. */
export function lines(bytes: number): string[] {
  const result: string[] = [];
  let size = 0;
  while (size < bytes) {
    const line = `${sentence(8 + Math.floor(random() * 10))}.`;
    result.push(line);
    size += line.length;
  }
  return result;
}

/** A protocol's size: 2 to 20 KB of text. */
export const protocolBytes = () => 2_000 + random() * 18_000;

function contentOf(kind: DocumentKind): ContentEntry[] {
  if (kind === 'notes')
    return [
      { kind: 'protocol', itemId: null, title: '', body: '', organization: null },
      ...passages(lines(protocolBytes()).join('\n')).map((body, index) => ({
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

/**
 * Creates `rooms` rooms and `documents` documents in them (six in ten protocols, two in ten
 * roadmaps of 20 milestones, two in ten action lists of 30 actions) and indexes each one.
 * Returns the rooms' ids and the seconds the indexing took.
 */
export async function seedCorpus(db: Database, documents: number, rooms: number) {
  const roomIds = (
    await db.execute<{ id: string }>(
      sql`insert into room (name) select 'AG ' || n from generate_series(1, ${rooms}) n returning id`,
    )
  ).rows.map((row) => row.id);
  const started = performance.now();
  for (let index = 0; index < documents; index += 1) {
    const kind: DocumentKind = index % 10 < 6 ? 'notes' : index % 10 < 8 ? 'roadmap' : 'actions';
    const roomId = roomIds[index % rooms]!;
    const title = sentence(3);
    const [row] = (
      await db.execute<{ id: string }>(sql`insert into document (room_id, kind, title)
        values (${roomId}, ${kind}, ${title}) returning id`)
    ).rows;
    await writeSearchEntries(db, { id: row!.id, kind, roomId }, contentOf(kind));
    if ((index + 1) % 1_000 === 0) process.stderr.write(`${index + 1}/${documents} documents indexed\n`);
  }
  return { roomIds, indexSeconds: (performance.now() - started) / 1000 };
}
