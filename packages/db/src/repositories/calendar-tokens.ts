import { and, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { calendarToken, user } from '../schema.ts';

/** Sets a person's calendar token (its hash), replacing the one they had. */
export async function renewCalendarToken(db: Queryable, userId: string, tokenHash: Uint8Array): Promise<Date> {
  const [row] = await db
    .insert(calendarToken)
    .values({ userId, tokenHash })
    .onConflictDoUpdate({ target: calendarToken.userId, set: { tokenHash, createdAt: new Date() } })
    .returning({ createdAt: calendarToken.createdAt });
  return row!.createdAt;
}

/** When a person's calendar token was made, or null when they have none. */
export async function calendarTokenCreatedAt(db: Queryable, userId: string): Promise<Date | null> {
  const [row] = await db
    .select({ createdAt: calendarToken.createdAt })
    .from(calendarToken)
    .where(eq(calendarToken.userId, userId));
  return row?.createdAt ?? null;
}

/** Deletes a person's calendar token; returns whether there was one. */
export async function deleteCalendarToken(db: Queryable, userId: string): Promise<boolean> {
  const rows = await db.delete(calendarToken).where(eq(calendarToken.userId, userId)).returning();
  return rows.length > 0;
}

/** The active person whose calendar token has this hash, or undefined. */
export async function findCalendarTokenUser(db: Queryable, tokenHash: Uint8Array) {
  const [row] = await db
    .select({ id: user.id, name: user.name, organizationId: user.organizationId, isAdmin: user.isAdmin })
    .from(calendarToken)
    .innerJoin(user, eq(user.id, calendarToken.userId))
    .where(and(eq(calendarToken.tokenHash, tokenHash), isNull(user.disabledAt)));
  return row;
}
