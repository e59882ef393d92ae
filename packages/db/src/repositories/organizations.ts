import { AppError } from '@nordraum/domain';
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { organization } from '../schema.ts';
import { isUniqueViolation } from './errors.ts';

/** The organisations of the northern cooperation, created on first start. */
export const defaultOrganizations = [
  { code: 'SH', name: 'Land Schleswig-Holstein', kind: 'land' },
  { code: 'MV', name: 'Land Mecklenburg-Vorpommern', kind: 'land' },
  { code: 'NI', name: 'Land Niedersachsen', kind: 'land' },
  { code: 'DATAPORT', name: 'Dataport', kind: 'provider' },
  { code: 'DVZ', name: 'DVZ M-V', kind: 'provider' },
  { code: 'ITN', name: 'IT.Niedersachsen', kind: 'provider' },
] as const;

/** Creates the default organisations that do not exist yet; safe on every start. */
export async function seedOrganizations(db: Queryable): Promise<void> {
  await db
    .insert(organization)
    .values([...defaultOrganizations])
    .onConflictDoNothing();
}

/** All organisations, by code. */
export function listOrganizations(db: Queryable) {
  return db.select().from(organization).orderBy(asc(organization.code));
}

/** One organisation by id or by code. */
export async function findOrganization(db: Queryable, by: { id: string } | { code: string }) {
  const where = 'id' in by ? eq(organization.id, by.id) : eq(organization.code, by.code);
  const [row] = await db.select().from(organization).where(where);
  return row;
}

/** Creates an organisation; `conflict` when the code is taken. */
export async function createOrganization(
  db: Queryable,
  values: { code: string; name: string; kind: 'land' | 'provider' | 'other' },
) {
  try {
    const [row] = await db.insert(organization).values(values).returning();
    return row!;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', 'An organisation with this code exists already.', {
        fields: { code: 'code taken' },
      });
    throw error;
  }
}

/** Renames an organisation or changes its kind; `undefined` when there is none. */
export async function updateOrganization(
  db: Queryable,
  id: string,
  changes: { name?: string; kind?: 'land' | 'provider' | 'other' },
) {
  if (Object.keys(changes).length === 0) return findOrganization(db, { id });
  const [row] = await db.update(organization).set(changes).where(eq(organization.id, id)).returning();
  return row;
}
