import { randomUUID } from 'node:crypto';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import type { DocumentVersion, VersionKind } from '@nordraum/domain';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { document, docVersion, organization, user } from '../schema.ts';
import { type AuditRecord, auditDelete, auditInsert } from './audit.ts';

/**
 * Document versions. A version's state is written once and never changed; only automatic versions
 * are ever deleted (thinned), and only by id, but for a version withdrawn with its audit row when
 * what it was written for failed right after (a restore whose edits could not be stored). States
 * are stored compressed (zstd, see doc_version.state_encoding), preferably compressed off the main
 * thread by the caller (`packed`).
 */

/** What a new version holds. */
export interface NewVersion {
  documentId: string;
  kind: VersionKind;
  name: string | null;
  /** The log position the state covers. */
  seq: number;
  state: Uint8Array;
  /** `state` as one zstd frame, when the caller compressed it already (else it is done here). */
  packed?: Uint8Array;
  createdBy: string | null;
}

/** The columns a version's state is stored in. */
function storedState({ state, packed }: Pick<NewVersion, 'state' | 'packed'>) {
  const stored = packed ?? zstdCompressSync(state);
  // As a Buffer: node-postgres sends a Buffer as bytea (a plain Uint8Array only through the column's type).
  const buffer = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  return { state: buffer, stateEncoding: 'zstd' as const, bytes: state.byteLength };
}

const listed = {
  id: docVersion.id,
  name: docVersion.name,
  kind: docVersion.kind,
  bytes: docVersion.bytes,
  createdAt: docVersion.createdAt,
  authorId: user.id,
  authorName: user.name,
  authorOrganization: organization.code,
};

type ListedRow = {
  id: string;
  name: string | null;
  kind: VersionKind;
  bytes: number;
  createdAt: Date;
  authorId: string | null;
  authorName: string | null;
  authorOrganization: string | null;
};

function toVersion(row: ListedRow | ListedSqlRow): DocumentVersion {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    createdAt: typeof row.createdAt === 'string' ? row.createdAt : row.createdAt.toISOString(),
    createdBy:
      row.authorId && row.authorName
        ? { id: row.authorId, name: row.authorName, organization: { code: row.authorOrganization ?? '' } }
        : null,
    bytes: row.bytes,
  };
}

/** A listed row as {@link createVersion}'s statement answers it (`createdAt` as {@link createdAtIso}). */
type ListedSqlRow = Omit<ListedRow, 'createdAt'> & { createdAt: string };

function selectListed(db: Queryable) {
  return db
    .select(listed)
    .from(docVersion)
    .leftJoin(user, eq(user.id, docVersion.createdBy))
    .leftJoin(organization, eq(organization.id, user.organizationId));
}

/** A version's `created_at` (the row aliased `v`) as `toISOString` writes it: milliseconds, UTC. */
const createdAtIso = sql`to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** What is written with a version in the same statement, each given the new version's id. */
export interface VersionWrite {
  /** The audit row of the action that wrote the version: kept exactly when the version is. */
  audit?: (versionId: string) => AuditRecord;
  /** A notification (`pg_notify`), delivered when the version is committed and only then. */
  notify?: (versionId: string) => { channel: string; payload: string };
}

/**
 * Stores a version and returns it as the API shows it, with its audit row and notification (see
 * {@link VersionWrite}): one statement, so one round trip and one commit. Naming a version took
 * about ten round trips (insert, read back, audit, notify, each transaction's begin and commit),
 * and every one of them was main-thread work while the document's editors typed.
 */
export async function createVersion(
  db: Queryable,
  values: NewVersion,
  also: VersionWrite = {},
): Promise<DocumentVersion> {
  const { documentId, kind, name, seq, createdBy } = values;
  // The id is chosen here so that the audit row and the notification can name it in the same statement.
  const id = randomUUID();
  const stored = storedState(values);
  const audit = also.audit?.(id);
  const notify = also.notify?.(id);
  // Data-modifying WITH parts always run; the notification is sent from the inserted row, so it
  // goes only with it.
  const { rows } = await db.execute<ListedSqlRow>(sql`
    with v as (
      insert into ${docVersion} (id, document_id, kind, name, seq, created_by, state, state_encoding, bytes)
      values (${id}, ${documentId}, ${kind}, ${name}, ${seq}, ${createdBy}, ${stored.state}, ${stored.stateEncoding},
        ${stored.bytes})
      returning id, name, kind, bytes, created_at, created_by
    )${audit ? sql`, a as (${auditInsert(audit)})` : sql``}
    select v.id, v.name, v.kind, v.bytes, ${createdAtIso} as "createdAt", u.id as "authorId",
      u.name as "authorName", o.code as "authorOrganization"${
        notify ? sql`, pg_notify(${notify.channel}, ${notify.payload}) as notified` : sql``
      }
    from v
    left join ${user} u on u.id = v.created_by
    left join ${organization} o on o.id = u.organization_id`);
  return toVersion(rows[0]!);
}

/**
 * Takes back a version {@link createVersion} wrote, when what it was written for failed afterwards
 * (a restore whose edits could not be stored): the version and its audit row (found as `audit`
 * gives it again: same action, target and details) go in one statement, so both or neither; the
 * notification is sent only when the version went. `notify` is given the withdrawn version's id.
 */
export async function withdrawVersion(
  db: Queryable,
  documentId: string,
  versionId: string,
  also: VersionWrite = {},
): Promise<void> {
  const audit = also.audit?.(versionId);
  const notify = also.notify?.(versionId);
  await db.execute(sql`
    with v as (
      delete from ${docVersion} where id = ${versionId} and document_id = ${documentId} returning id
    )${audit ? sql`, a as (${auditDelete(audit)} and exists (select from v))` : sql``}
    select ${notify ? sql`pg_notify(${notify.channel}, ${notify.payload})` : sql`v.id`} from v`);
}

/**
 * Stores an automatic version unless one for the same log position exists (written by another
 * instance, or by this one a moment ago); returns its id when it was written, else null.
 */
export async function createAutoVersion(db: Queryable, values: Omit<NewVersion, 'kind' | 'name' | 'createdBy'>) {
  const { documentId, seq } = values;
  const rows = await db
    .insert(docVersion)
    .values({ documentId, seq, kind: 'auto', name: null, createdBy: null, ...storedState(values) })
    .onConflictDoNothing({ target: [docVersion.documentId, docVersion.seq], where: sql`kind = 'auto'` })
    .returning({ id: docVersion.id });
  return rows[0]?.id ?? null;
}

/** A document's versions, newest first, without their states. */
export async function listVersions(db: Queryable, documentId: string): Promise<DocumentVersion[]> {
  const rows = await selectListed(db)
    .where(eq(docVersion.documentId, documentId))
    .orderBy(desc(docVersion.createdAt), desc(docVersion.seq));
  return rows.map(toVersion);
}

/**
 * {@link listVersions} as the JSON array the API sends, built by PostgreSQL: for 1,000 versions
 * the rows were most of the listing's time as values parsed, mapped and serialised again (the
 * query itself takes about 8 ms of it). Times as `toISOString` writes them (milliseconds, UTC).
 */
export async function listVersionsJson(db: Queryable, documentId: string): Promise<string> {
  const rows = await db.execute<{ versions: string }>(sql`
    select coalesce(json_agg(json_build_object(
      'id', v.id,
      'name', v.name,
      'kind', v.kind,
      'createdAt', ${createdAtIso},
      'createdBy', case when u.id is null then null else json_build_object(
        'id', u.id, 'name', u.name, 'organization', json_build_object('code', coalesce(o.code, ''))) end,
      'bytes', v.bytes
    ) order by v.created_at desc, v.seq desc), '[]')::text as versions
    from ${docVersion} v
    left join ${user} u on u.id = v.created_by
    left join ${organization} o on o.id = u.organization_id
    where v.document_id = ${documentId}`);
  return rows.rows[0]?.versions ?? '[]';
}

/** One version of a document as the API shows it. */
export async function findVersion(db: Queryable, documentId: string, versionId: string) {
  const [row] = await selectListed(db).where(and(eq(docVersion.id, versionId), eq(docVersion.documentId, documentId)));
  return row ? toVersion(row) : undefined;
}

/** The newest approved version of a document (what an export's header names), or undefined. */
export async function findLatestApproval(db: Queryable, documentId: string) {
  const [row] = await selectListed(db)
    .where(and(eq(docVersion.documentId, documentId), eq(docVersion.kind, 'approved')))
    .orderBy(desc(docVersion.createdAt))
    .limit(1);
  return row ? toVersion(row) : undefined;
}

/** One version's stored state, or undefined when the document has no such version. */
export async function readVersionState(db: Queryable, documentId: string, versionId: string) {
  const [row] = await db
    .select({ state: docVersion.state, encoding: docVersion.stateEncoding })
    .from(docVersion)
    .where(and(eq(docVersion.id, versionId), eq(docVersion.documentId, documentId)));
  if (!row) return undefined;
  return row.encoding === 'zstd' ? new Uint8Array(zstdDecompressSync(row.state)) : row.state;
}

/** Whether a document still has a version (thinning deletes automatic ones); reads no state. */
export async function versionExists(db: Queryable, documentId: string, versionId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: docVersion.id })
    .from(docVersion)
    .where(and(eq(docVersion.id, versionId), eq(docVersion.documentId, documentId)));
  return row !== undefined;
}

/** A document's automatic versions (id and time), for thinning. */
export function listAutoVersions(db: Queryable, documentId: string) {
  return db
    .select({ id: docVersion.id, createdAt: docVersion.createdAt })
    .from(docVersion)
    .where(and(eq(docVersion.documentId, documentId), eq(docVersion.kind, 'auto')));
}

/** Deletes automatic versions by id; other kinds are never deleted here, whatever the ids. */
export async function deleteAutoVersions(db: Queryable, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .delete(docVersion)
    .where(and(inArray(docVersion.id, ids), eq(docVersion.kind, 'auto')))
    .returning({ id: docVersion.id });
  return rows.length;
}

/**
 * Documents edited since their newest version, and quiet for at least `quietMs`: where an
 * automatic version is due. At most `limit`, the longest quiet first.
 */
export async function documentsDueForVersion(db: Queryable, quietMs: number, limit: number) {
  const newest = sql<number>`coalesce((select max(v.seq) from doc_version v where v.document_id = ${document.id}), 0)`;
  return db
    .select({ id: document.id, seq: document.updateSeq })
    .from(document)
    .where(
      and(
        isNull(document.archivedAt),
        sql`${document.updateSeq} > ${newest}`,
        sql`${document.updatedAt} < now() - make_interval(secs => ${quietMs / 1000})`,
      ),
    )
    .orderBy(document.updatedAt)
    .limit(limit);
}
