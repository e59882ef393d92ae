import { AppError, type User } from '@nordraum/domain';
import { and, asc, count, eq, ilike, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { organization, roomMember, session, user } from '../schema.ts';
import { isForeignKeyViolation, isUniqueViolation } from './errors.ts';

const publicColumns = {
  id: user.id,
  email: user.email,
  name: user.name,
  isAdmin: user.isAdmin,
  disabledAt: user.disabledAt,
  locale: user.locale,
  mustChangePassword: user.mustChangePassword,
  organization: { id: organization.id, code: organization.code, name: organization.name },
};

type UserWithOrganization = {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  disabledAt: Date | null;
  locale: string;
  mustChangePassword: boolean;
  organization: { id: string; code: string; name: string };
};

/** The API's view of a user: never the password hash. */
export function toPublicUser(row: UserWithOrganization): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.isAdmin,
    disabled: row.disabledAt !== null,
    locale: row.locale === 'en' ? 'en' : 'de',
    mustChangePassword: row.mustChangePassword,
    organization: row.organization,
  };
}

function selectUsers(db: Queryable) {
  return db.select(publicColumns).from(user).innerJoin(organization, eq(user.organizationId, organization.id));
}

/** One user with organisation, by id. */
export async function findUserById(db: Queryable, id: string) {
  const [row] = await selectUsers(db).where(eq(user.id, id));
  return row;
}

/** The login view of a user: id, hash and whether disabled. */
export async function findCredentials(db: Queryable, email: string) {
  const [row] = await db
    .select({ id: user.id, passwordHash: user.passwordHash, disabledAt: user.disabledAt })
    .from(user)
    .where(eq(user.email, email));
  return row;
}

/** Every user, by name. */
export function listUsers(db: Queryable) {
  return selectUsers(db).orderBy(asc(user.name), asc(user.email));
}

/** How many accounts exist; zero on a fresh installation. */
export async function countUsers(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(user);
  return row?.n ?? 0;
}

/** Creates a user; `email_taken` when the address is in use. */
export async function createUser(
  db: Queryable,
  values: {
    email: string;
    name: string;
    organizationId: string;
    passwordHash: string;
    isAdmin: boolean;
    /** The password was chosen by an administrator: the person must replace it first; default false. */
    mustChangePassword?: boolean;
  },
) {
  try {
    const [row] = await db.insert(user).values(values).returning({ id: user.id });
    return (await findUserById(db, row!.id))!;
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('email_taken', 'This e-mail address is already in use.');
    if (isForeignKeyViolation(error)) {
      throw new AppError('validation_failed', 'Unknown organisation.', {
        fields: { organizationId: 'unknown organisation' },
      });
    }
    throw error;
  }
}

/**
 * Changes a user. Disabling ends all of the user's sessions in the same transaction, so no request
 * can slip through with an old session after the change is committed.
 */
export async function updateUser(
  db: Queryable,
  id: string,
  changes: {
    name?: string;
    organizationId?: string;
    isAdmin?: boolean;
    disabled?: boolean;
    locale?: string;
    /** A new password; it is the person's own (the start-password flag clears) unless `mustChangePassword`. */
    passwordHash?: string;
    mustChangePassword?: boolean;
  },
) {
  const { disabled, ...rest } = changes;
  const values = {
    ...(rest.passwordHash === undefined ? {} : { mustChangePassword: false }),
    ...rest,
    ...(disabled === undefined ? {} : { disabledAt: disabled ? sql`coalesce(${user.disabledAt}, now())` : null }),
  };
  try {
    await db.transaction(async (tx) => {
      if (Object.keys(values).length > 0) await tx.update(user).set(values).where(eq(user.id, id));
      if (disabled) await tx.delete(session).where(eq(session.userId, id));
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new AppError('validation_failed', 'Unknown organisation.', {
        fields: { organizationId: 'unknown organisation' },
      });
    }
    throw error;
  }
  return findUserById(db, id);
}

/** Which active users {@link listDirectory} returns. */
export interface DirectoryFilter {
  /** People who are members of a room this user is a member of (the user included). */
  sharingRoomsWith?: string;
  /** People whose name contains this text, case-insensitively (never the e-mail: no probing for addresses). */
  search?: string;
  /** At most this many; default 50. */
  limit?: number;
}

/** Active users for choosing a person (adding a member, mentioning), by name. */
export function listDirectory(db: Queryable, filter: DirectoryFilter) {
  const conditions = [isNull(user.disabledAt)];
  if (filter.sharingRoomsWith) {
    conditions.push(
      inArray(
        user.id,
        db
          .select({ id: roomMember.userId })
          .from(roomMember)
          .where(
            inArray(
              roomMember.roomId,
              db
                .select({ roomId: roomMember.roomId })
                .from(roomMember)
                .where(eq(roomMember.userId, filter.sharingRoomsWith)),
            ),
          ),
      ),
    );
  }
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    conditions.push(ilike(user.name, pattern));
  }
  return selectUsers(db)
    .where(and(...conditions))
    .orderBy(asc(user.name), asc(user.email))
    .limit(filter.limit ?? 50);
}
