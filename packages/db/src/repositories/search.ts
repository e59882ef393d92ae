import {
  type ContentEntry,
  contentSearchKinds,
  documentSearchKind,
  type ParsedSearchQuery,
  type SearchKind,
} from '@nordraum/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import type { DocumentRow } from '../schema.ts';
import type { Viewer } from './rooms.ts';

/**
 * The search index's reads and writes. Invariants: an entry exists only for a document that exists
 * (foreign key, cascade); a document's own entry is created and renamed by a trigger on `document`;
 * the rest is written from the document's content by {@link writeSearchEntries}. Reads are
 * permission-exact: an entry is returned only from a room the viewer holds a role in now
 * (membership or organisation grant; admins too read content only through a role of their own).
 */

/** Text longer than this is indexed up to here (PostgreSQL's tsvector holds at most 1 MB). */
const maxIndexedText = 200_000;
/** Marks around a match in `ts_headline`'s output; never part of indexed text (see {@link clean}). */
export const matchStart = '\u0001';
export const matchEnd = '\u0002';

/** Control characters (NUL and the match marks among them) never reach the index. */
function clean(text: string, max = maxIndexedText) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  return text.replace(/[\u0000-\u0008\u000b-\u001f]/g, ' ').slice(0, max);
}

/**
 * Replaces what a document's content contributes to the index with `entries`, atomically: the
 * document's own entry gets the body, items are upserted (rows that did not change are left
 * alone, and no vector is computed for them) and items no longer there are removed.
 */
export function writeSearchEntries(db: Queryable, document: IndexedDocument, entries: ContentEntry[]): Promise<void> {
  return writeEntries(db, document, entries, null);
}

/**
 * Brings a document's entries up to date from what changed since the last write (by the caller,
 * who knows what it wrote): `entries` holds the items that are new or differ (and the document's
 * own entry if it changed), `removedItemIds` the items no longer there. Under typing in a protocol of a thousand
 * passages, that is one passage sent instead of all of them.
 */
export function updateSearchEntries(
  db: Queryable,
  document: IndexedDocument,
  entries: ContentEntry[],
  removedItemIds: string[],
): Promise<void> {
  return writeEntries(db, document, entries, removedItemIds);
}

/**
 * What the index needs of a document row: nothing that changes without an access event (a move to
 * another room, a deletion), so an indexer may keep it. The title is read where it is written.
 */
export type IndexedDocument = Pick<DocumentRow, 'id' | 'kind' | 'roomId'>;

/**
 * Characters of titles and bodies one statement of {@link writeEntries} sends at most (a single
 * item may exceed it). A 50-page protocol imported at once was one statement of some 400 KB, which
 * held the server's main thread for several milliseconds while it was encoded and written to the
 * socket; in statements of this size, live editing gets in between them.
 */
const maxBatchChars = 32_000;

/** Characters of an item's title and of its body that the index keeps. */
const maxTitleChars = 2_000;
const maxBodyChars = 20_000;

/** The key of an item's entry (a content item of `documentId`). */
const itemKey = (documentId: string, entry: ContentEntry) => `${entry.kind}:${documentId}:${entry.itemId}`;

/** `items` in batches of at most {@link maxBatchChars} characters of text, in order. */
function textBatches(items: ContentEntry[]): ContentEntry[][] {
  const batches: ContentEntry[][] = [];
  let batch: ContentEntry[] = [];
  let chars = 0;
  for (const item of items) {
    const size = Math.min(item.title.length, maxTitleChars) + Math.min(item.body.length, maxBodyChars);
    if (batch.length > 0 && chars + size > maxBatchChars) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(item);
    chars += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** `removedItemIds` null: every content item not among `entries` is removed. */
async function writeEntries(
  db: Queryable,
  document: IndexedDocument,
  entries: ContentEntry[],
  removedItemIds: string[] | null,
): Promise<void> {
  const own = entries.find((entry) => entry.itemId === null);
  const items = entries.filter((entry) => entry.itemId !== null);
  const ownKey = `${documentSearchKind[document.kind]}:${document.id}`;
  const keys = items.map((entry) => itemKey(document.id, entry));
  await db.transaction(async (tx) => {
    // The index is derived from the documents (`search reindex` rebuilds it): its commits need
    // not wait for the disk, and so do not add flushes that the update log's commits queue behind.
    await tx.execute(sql`set local synchronous_commit = off`);
    const body = clean(own?.body ?? '');
    // The vector is computed again only when the body changed (typing writes this row every time).
    // The body (up to 200,000 characters) is sent once and named, not once per use: each use was
    // another encoding of it on the server's main thread and another copy for PostgreSQL to parse.
    if (own || removedItemIds === null)
      await tx.execute(sql`update search_entry
      set body = given.body,
        vector = case when search_entry.body is distinct from given.body
          then nordraum_search_vector(search_entry.title, given.body) else search_entry.vector end,
        updated_at = case when search_entry.body is distinct from given.body then now() else search_entry.updated_at end,
        content_indexed_at = now()
      from (select ${body}::text as body) as given
      where search_entry.key = ${ownKey}`);
    // Only the entries read from the content: comment threads have their own (kept by a trigger).
    if (removedItemIds === null)
      await tx.execute(sql`delete from search_entry
        where document_id = ${document.id} and item_id is not null and kind = any(${sql.param([...contentSearchKinds])}::text[])
          and not (key = any(${sql.param(keys)}::text[]))`);
    else if (removedItemIds.length > 0)
      await tx.execute(sql`delete from search_entry
        where document_id = ${document.id} and item_id = any(${sql.param(removedItemIds)}::text[])
          and kind = any(${sql.param([...contentSearchKinds])}::text[])`);
    // A protocol's passages carry its title, so "Workshop Register" finds a passage on registers
    // in the protocol titled "Workshop …": the title as the row has it now (the trigger on
    // `document` keeps it on a rename). A document deleted meanwhile gets no rows.
    for (const batch of textBatches(items)) {
      const batchKeys = batch.map((entry) => itemKey(document.id, entry));
      await tx.execute(sql`insert into search_entry (key, kind, room_id, document_id, item_id, title, body, organization, vector)
      select k, kind, ${document.roomId}::uuid, ${document.id}::uuid, item, title, body, org, nordraum_search_vector(title, body)
      from (select u.k, u.kind, u.item, case when u.kind = 'protocol' then d.title else u.title end as title, u.body, u.org
        from unnest(${sql.param(batchKeys)}::text[], ${sql.param(batch.map((e) => e.kind))}::text[], ${sql.param(batch.map((e) => e.itemId))}::text[],
          ${sql.param(batch.map((e) => clean(e.title, maxTitleChars)))}::text[], ${sql.param(batch.map((e) => clean(e.body, maxBodyChars)))}::text[],
          ${sql.param(batch.map((e) => e.organization))}::text[]) as u(k, kind, item, title, body, org)
        join document d on d.id = ${document.id}::uuid) as t
      -- Under typing one passage changed and the others did not: only changed rows cost a vector.
      where not exists (select 1 from search_entry s where s.key = t.k and s.title is not distinct from t.title
        and s.body is not distinct from t.body and s.organization is not distinct from t.org)
      on conflict (key) do update set title = excluded.title, body = excluded.body,
        organization = excluded.organization, vector = excluded.vector, updated_at = now()
      where search_entry.title is distinct from excluded.title or search_entry.body is distinct from excluded.body
        or search_entry.organization is distinct from excluded.organization`);
    }
  });
}

/** Documents whose content has never been indexed (new since, or older than the index), oldest first. */
export async function listUnindexedDocuments(db: Queryable, limit: number): Promise<string[]> {
  const result = await db.execute<{ document_id: string }>(sql`select document_id from search_entry
    where item_id is null and document_id is not null and content_indexed_at is null
    order by updated_at limit ${limit}`);
  return result.rows.map((row) => row.document_id);
}

/** What to look for and where; all filters optional. */
export interface SearchRequest {
  query: ParsedSearchQuery;
  roomId?: string;
  kinds?: SearchKind[];
  organization?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** One hit, with the snippet as text in which matches are wrapped in {@link matchStart}/{@link matchEnd}. */
export interface SearchHit {
  kind: SearchKind;
  documentId: string | null;
  documentTitle: string | null;
  roomId: string;
  roomName: string;
  itemId: string | null;
  title: string;
  snippet: string;
  organization: string | null;
  updatedAt: Date;
  score: number;
}

type SearchRow = {
  kind: SearchKind;
  document_id: string | null;
  document_title: string | null;
  room_id: string;
  room_name: string;
  item_id: string | null;
  title: string;
  snippet: string;
  organization: string | null;
  updated_at: string;
  score: number;
};

/** The hits for a viewer, best first; one more than `limit` when there are more. */
export async function searchEntries(db: Queryable, viewer: Viewer, request: SearchRequest): Promise<SearchHit[]> {
  const result = await db.execute<SearchRow>(searchStatement(viewer, request));
  return result.rows.map((row) => ({
    kind: row.kind,
    documentId: row.document_id,
    documentTitle: row.document_title,
    roomId: row.room_id,
    roomName: row.room_name,
    itemId: row.item_id,
    title: row.title,
    snippet: row.snippet,
    organization: row.organization,
    updatedAt: new Date(row.updated_at),
    score: Number(row.score),
  }));
}

/**
 * How many of the newest matching entries one may read are ranked. A query that matches more (a
 * common word, the first letters of one as typed) would otherwise rank tens of thousands of rows
 * for twenty results; among that many, the newest are what a person is after. A query that
 * matches fewer is ranked over everything it matches.
 */
export const rankedCandidates = 500;

/**
 * The one statement {@link searchEntries} runs (exported so the benchmark can EXPLAIN it). Its
 * shape is what keeps it fast: the query is an expression PostgreSQL sees when planning (not a
 * CTE), so it can choose between the GIN index (few matches) and walking the newest entries of
 * the readable rooms (many matches); the readable rooms are one array, an index condition;
 * rank, the one-result-per-protocol rule and the snippet work on the candidates only, and
 * `ts_headline` on the page of results only.
 */
export function searchStatement(viewer: Viewer, request: SearchRequest): SQL {
  const { words, prefix } = request.query;
  const prefixQuery = (fold: boolean) =>
    prefix === null
      ? sql`''::tsquery`
      : sql`to_tsquery('german', '''' || ${fold ? sql`nordraum_fold(${prefix})` : sql`${prefix}`} || ''':*')`;
  const query = sql`(websearch_to_tsquery('german', nordraum_fold(${words})) && ${prefixQuery(true)})`;
  const marks = sql`(websearch_to_tsquery('german', nordraum_fold(${words})) || websearch_to_tsquery('german', ${words})
    || ${prefixQuery(true)} || ${prefixQuery(false)})`;
  const filters = [
    request.roomId ? sql`and e.room_id = ${request.roomId}::uuid` : sql``,
    request.kinds?.length ? sql`and e.kind = any(${sql.param(request.kinds)}::text[])` : sql``,
    request.organization ? sql`and e.organization = ${request.organization}` : sql``,
    request.from ? sql`and e.updated_at >= ${request.from.toISOString()}::timestamptz` : sql``,
    request.to ? sql`and e.updated_at <= ${request.to.toISOString()}::timestamptz` : sql``,
  ];
  return sql`with candidates as (
      select e.key from search_entry e
      where e.vector @@ ${query} and ${query} <> ''::tsquery
        and e.room_id = any(array(
          select room_id from room_member where user_id = ${viewer.userId}::uuid
          union select room_id from organization_grant where organization_id = ${viewer.organizationId}::uuid))
        ${sql.join(filters, sql` `)}
      -- As search_entry_recent_idx orders (updated_at is never null).
      order by e.updated_at desc nulls last
      limit ${rankedCandidates}
    ), ranked as (
      select e.key, e.kind, e.document_id, e.room_id, e.item_id, e.updated_at, ts_rank(e.vector, ${query}) as score
      from candidates c join search_entry e on e.key = c.key
    ), hits as (
      -- A protocol is one result: its best passage (or its title, when no passage matched).
      select * from (
        select ranked.*, row_number() over (
          partition by case when kind = 'protocol' then document_id::text else key end
          order by score desc, item_id is null, key) as nth
        from ranked
      ) best
      where nth = 1
      order by score desc, updated_at desc, key
      limit ${request.limit + 1} offset ${request.offset}
    )
    select h.kind, h.document_id, d.title as document_title, h.room_id, r.name as room_name, h.item_id, e.title,
      e.organization, h.updated_at, h.score::float8 as score,
      ts_headline('german', case when e.body = '' then e.title else e.body end, ${marks},
        ${`StartSel=${matchStart}, StopSel=${matchEnd}, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`}) as snippet
    from hits h
    join search_entry e on e.key = h.key
    join room r on r.id = h.room_id
    left join document d on d.id = h.document_id
    order by h.score desc, h.updated_at desc, h.key`;
}
