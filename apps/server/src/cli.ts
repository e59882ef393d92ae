import { parseArgs } from 'node:util';
import { hashPassword } from '@nordraum/auth';
import {
  attachEmbeddedPostgres,
  createDatabaseClient,
  createRoom,
  createUser,
  type Database,
  type DatabaseClient,
  findCredentials,
  findOrganization,
  runMigrations,
  setGrant,
  updateUser,
  writeAudit,
} from '@nordraum/db';
import { AppError, schemas } from '@nordraum/domain';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { appPaths } from './paths.ts';
import { progressBar } from './progress.ts';
import { reindexSearch } from './search-index.ts';

/**
 * Operator commands: `npm run cli -- <command>`. Exit codes: 0 done, 1 the command failed,
 * 2 the command line is wrong (a usage line is printed).
 */

const usage = `Usage: npm run cli -- <command>
  migrate                                              apply database migrations
  user create --email E --name N --org CODE [--admin] [--password-stdin] [--own-password]
                                                       the password is a start password, to be
                                                       replaced at first login (not with --own-password)
  user disable --email E                               disable a user and end their sessions
  room create --name N [--description D] [--owner E]   create a room (E becomes owner)
  room grant --room ID --org CODE --role owner|editor|commenter|viewer
  search reindex                                       rebuild the search index from every document
Environment: DATABASE_URL, or DATA_DIR for the embedded PostgreSQL (default ./data).`;

class UsageError extends Error {}

const options = {
  email: { type: 'string' },
  name: { type: 'string' },
  org: { type: 'string' },
  admin: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  'own-password': { type: 'boolean' },
  description: { type: 'string' },
  owner: { type: 'string' },
  room: { type: 'string' },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function required(values: Values, name: 'email' | 'name' | 'org' | 'room' | 'role'): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

function check<T>(
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  value: unknown,
  flag: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${flag}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (!fromStdin && !process.stdin.isTTY) {
    throw new UsageError('no terminal to ask for the password: pipe it in with --password-stdin');
  }
  if (fromStdin) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide what is typed: readline echoes through _writeToOutput.
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  const ask = async (question: string) => {
    process.stdout.write(question);
    muted._writeToOutput = () => {};
    const answer = await rl.question('');
    process.stdout.write('\n');
    return answer;
  };
  const first = await ask('Password (12 to 128 characters): ');
  const second = await ask('Repeat password: ');
  rl.close();
  if (first !== second) throw new UsageError('the passwords differ');
  return first;
}

async function organizationId(db: Database, code: string): Promise<string> {
  const organization = await findOrganization(db, { code: code.toUpperCase() });
  if (!organization) throw new UsageError(`--org: no organisation with code ${code}`);
  return organization.id;
}

async function userId(db: Database, email: string): Promise<string> {
  const found = await findCredentials(db, email.toLowerCase());
  if (!found) throw new UsageError(`no user with e-mail ${email}`);
  return found.id;
}

async function run(client: DatabaseClient, command: string, values: Values): Promise<string> {
  const { db } = client;
  switch (command) {
    case 'user create': {
      const email = check(schemas.emailSchema, required(values, 'email'), '--email');
      const name = check(schemas.text(200), required(values, 'name'), '--name');
      const orgId = await organizationId(db, required(values, 'org'));
      const password = check(
        schemas.newPasswordSchema,
        await readPassword(values['password-stdin'] ?? false),
        'password',
      );
      const user = await createUser(db, {
        email,
        name,
        organizationId: orgId,
        passwordHash: await hashPassword(password),
        isAdmin: values.admin ?? false,
        // Someone else knows a password an operator typed in: the person sets their own first.
        mustChangePassword: !(values['own-password'] ?? false),
      });
      await writeAudit(db, {
        action: 'user.create',
        targetType: 'user',
        targetId: user.id,
        details: { email, via: 'cli', startPassword: !(values['own-password'] ?? false) },
      });
      const start = user.mustChangePassword ? '; they set their own password at first login' : '';
      return `Created user ${user.email} (${user.id})${user.isAdmin ? ' as administrator' : ''}${start}`;
    }
    case 'user disable': {
      const id = await userId(db, required(values, 'email'));
      await updateUser(db, id, { disabled: true });
      await writeAudit(db, { action: 'user.disable', targetType: 'user', targetId: id, details: { via: 'cli' } });
      return `Disabled ${values.email}; their sessions have ended`;
    }
    case 'room create': {
      const name = check(schemas.text(200), required(values, 'name'), '--name');
      const owner = values.owner ? await userId(db, values.owner) : undefined;
      const id = owner
        ? await createRoom(db, { name, description: values.description, ownerId: owner })
        : await createOwnerlessRoom(db, name, values.description);
      await writeAudit(db, {
        action: 'room.create',
        targetType: 'room',
        targetId: id,
        roomId: id,
        details: { name, via: 'cli' },
      });
      return `Created room ${name} (${id})`;
    }
    case 'room grant': {
      const roomId = check(schemas.idSchema, required(values, 'room'), '--room');
      const role = check(schemas.roomRoleSchema, required(values, 'role'), '--role');
      const orgId = await organizationId(db, required(values, 'org'));
      try {
        await setGrant(db, roomId, orgId, role);
      } catch {
        throw new UsageError(`--room: no room ${roomId}`);
      }
      await writeAudit(db, {
        action: 'room.grant.set',
        targetType: 'organization',
        targetId: orgId,
        roomId,
        details: { role, via: 'cli' },
      });
      return `Granted ${values.org} the role ${role} in room ${roomId}`;
    }
    case 'search reindex': {
      const count = await reindexSearch(client, progressBar('Dokumente / documents'));
      return `Reindexed ${count} documents for search`;
    }
    default:
      throw new UsageError(`unknown command: ${command || '(none)'}`);
  }
}

async function createOwnerlessRoom(db: Database, name: string, description: string | undefined) {
  const { tables } = await import('@nordraum/db');
  const [row] = await db
    .insert(tables.room)
    .values({ name, description: description ?? '' })
    .returning({ id: tables.room.id });
  return row!.id;
}

const commands = new Set(['migrate', 'user create', 'user disable', 'room create', 'room grant', 'search reindex']);

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(usage);
    return 0;
  }
  const command = parsed.positionals.join(' ');
  if (!commands.has(command)) {
    console.error(`unknown command: ${command || '(none)'}\n${usage}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const embedded = config.databaseUrl ? undefined : await attachEmbeddedPostgres({ dataDir: config.dataDir });
  const url = config.databaseUrl ?? embedded!.url;
  const client = createDatabaseClient({ url, max: 2 });
  try {
    await runMigrations(url, appPaths().migrations);
    console.log(command === 'migrate' ? 'Migrations applied' : await run(client, command, parsed.values));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${usage}`);
      return 2;
    }
    console.error(error instanceof AppError ? error.message : `Failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await client.close();
    await embedded?.stop();
  }
}

process.exitCode = await main(process.argv.slice(2));
