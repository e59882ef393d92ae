import { randomBytes } from 'node:crypto';
import { hashPassword } from '@nordraum/auth';
import { countUsers, createUser, type Database, findOrganization, seedOrganizations, writeAudit } from '@nordraum/db';
import { AppError } from '@nordraum/domain';

/** Options for {@link bootstrap}. */
export interface BootstrapOptions {
  adminEmail?: string;
  adminPassword?: string;
  /** Organisation code of the first administrator; default DATAPORT. */
  adminOrganizationCode: string;
  /** Shows the one-time password to the operator; it must not go into the structured log. */
  announce: (text: string) => void;
}

/**
 * First-start setup, safe on every start: the default organisations, and an administrator when
 * no account exists yet. Without a configured password a random one is generated and shown once.
 */
export async function bootstrap(db: Database, options: BootstrapOptions): Promise<void> {
  await seedOrganizations(db);
  if ((await countUsers(db)) > 0) return;
  const organization = await findOrganization(db, { code: options.adminOrganizationCode });
  if (!organization) {
    throw new Error(`NORDRAUM_ADMIN_ORG: no organisation with code ${options.adminOrganizationCode}`);
  }
  const email = options.adminEmail ?? 'admin@nordraum.local';
  const password = options.adminPassword ?? randomBytes(18).toString('base64url');
  let admin: Awaited<ReturnType<typeof createUser>>;
  try {
    admin = await createUser(db, {
      email,
      name: 'Administration',
      organizationId: organization.id,
      passwordHash: await hashPassword(password),
      isAdmin: true,
    });
  } catch (error) {
    // Another instance starting at the same moment on the same database was first.
    if (error instanceof AppError && error.code === 'email_taken') return;
    throw error;
  }
  await writeAudit(db, {
    action: 'user.create',
    targetType: 'user',
    targetId: admin.id,
    details: { email, bootstrap: true },
  });
  if (!options.adminPassword) {
    options.announce(
      [
        '',
        '  Nordraum: erstes Administrationskonto angelegt / first administrator created',
        `    E-Mail:   ${email}`,
        `    Passwort: ${password}`,
        '  Dieses Passwort wird nur jetzt angezeigt. / This password is shown only now.',
        '',
      ].join('\n'),
    );
  }
}
