import type { AuditAction, AuditEntry } from '@nordraum/domain';
import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { auditLog } from '../schema.ts';

/** One audit record. Never put a password or a session token into `details`. */
export interface AuditRecord {
  actorId?: string | null;
  actorEmail?: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  roomId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit log. */
export async function writeAudit(db: Queryable, record: AuditRecord): Promise<void> {
  await db.insert(auditLog).values(record);
}

/**
 * The INSERT of an audit row, for a statement that writes the audited change too (a WITH part):
 * the row is then kept exactly when the change is, in one round trip.
 */
export function auditInsert(record: AuditRecord): SQL {
  const { actorId, actorEmail, action, targetType, targetId, roomId, ip, details } = record;
  return sql`insert into ${auditLog} (actor_id, actor_email, action, target_type, target_id, room_id, ip, details)
    values (${actorId ?? null}, ${actorEmail ?? null}, ${action}, ${targetType ?? null}, ${targetId ?? null},
      ${roomId ?? null}, ${ip ?? null}, ${JSON.stringify(details ?? {})}::jsonb)`;
}

/**
 * The DELETE of the newest audit row that {@link auditInsert} wrote for `record` (same action,
 * target and details), for a statement that takes the audited change back: only a change that
 * never took effect loses its row. Ends in a WHERE clause the caller may extend with `and ...`.
 */
export function auditDelete(record: AuditRecord): SQL {
  const { action, targetType, targetId, details } = record;
  return sql`delete from ${auditLog} where id = (
      select id from ${auditLog}
      where action = ${action} and target_type is not distinct from ${targetType ?? null}
        and target_id is not distinct from ${targetId ?? null} and details = ${JSON.stringify(details ?? {})}::jsonb
      order by id desc limit 1)`;
}

/** Filters for {@link listAudit}; all optional. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  roomId?: string;
  from?: string;
  to?: string;
  limit: number;
}

// Names as they are now: a renamed room shows its new name, so the log reads like the app does.
const actorName = sql<string | null>`(select u.name from "user" u where u.id = ${auditLog.actorId})`;
const roomName = sql<string | null>`(select r.name from room r where r.id = ${auditLog.roomId})`;
const targetName = sql<string | null>`(case ${auditLog.targetType}
  when 'user' then (select u.name from "user" u where u.id::text = ${auditLog.targetId})
  when 'room' then (select r.name from room r where r.id::text = ${auditLog.targetId})
  when 'organization' then (select o.name from organization o where o.id::text = ${auditLog.targetId})
  when 'document' then (select d.title from document d where d.id::text = ${auditLog.targetId})
  when 'template' then (select t.name from document_template t where t.id::text = ${auditLog.targetId})
  end)`;

/** Audit entries, newest first, with the current names of actor, subject and room. */
export async function listAudit(db: Queryable, filter: AuditFilter): Promise<AuditEntry[]> {
  const conditions: SQL[] = [];
  if (filter.actor) conditions.push(eq(auditLog.actorId, filter.actor));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.roomId) conditions.push(eq(auditLog.roomId, filter.roomId));
  if (filter.from) conditions.push(gte(auditLog.at, new Date(filter.from)));
  if (filter.to) conditions.push(lte(auditLog.at, new Date(filter.to)));
  const rows = await db
    .select({ row: auditLog, actorName, targetName, roomName })
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(filter.limit);
  return rows.map(({ row, ...names }) => ({
    ...names,
    id: row.id.toString(),
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorEmail: row.actorEmail,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    roomId: row.roomId,
    ip: row.ip,
    details: row.details,
  }));
}
