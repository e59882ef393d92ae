import type { AuditEntry } from '@nordraum/domain';
import { and, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { auditLog } from '../schema.ts';

/** One audit record. Never put a password or a session token into `details`. */
export interface AuditRecord {
  actorId?: string | null;
  actorEmail?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  roomId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit log. */
export async function writeAudit(db: Database, record: AuditRecord): Promise<void> {
  await db.insert(auditLog).values(record);
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

/** Audit entries, newest first. */
export async function listAudit(db: Database, filter: AuditFilter): Promise<AuditEntry[]> {
  const conditions: SQL[] = [];
  if (filter.actor) conditions.push(eq(auditLog.actorId, filter.actor));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.roomId) conditions.push(eq(auditLog.roomId, filter.roomId));
  if (filter.from) conditions.push(gte(auditLog.at, new Date(filter.from)));
  if (filter.to) conditions.push(lte(auditLog.at, new Date(filter.to)));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(filter.limit);
  return rows.map((row) => ({
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
