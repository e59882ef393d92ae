import { findCredentials, findUserById, listGrants } from '@nordraum/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { runCli } from '../helpers/process.ts';

let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
});
afterAll(() => database.drop());

describe('npm run cli', () => {
  it('migrates (again, harmlessly) and exits 0', async () => {
    const result = await runCli(['migrate'], env);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0 });
  });

  it('creates a user with the password from stdin, who can then log in', async () => {
    const result = await runCli(
      ['user', 'create', '--email', 'Kai@MV.example', '--name', 'Kai Kröger', '--org', 'mv', '--password-stdin'],
      env,
      'ein langes Passwort\n',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kai@mv.example');
    const credentials = await findCredentials(database.db, 'kai@mv.example');
    expect(credentials?.passwordHash).toMatch(/^\$argon2id\$/);
    // The operator knows it: a start password, replaced by the person at first login.
    expect((await findUserById(database.db, credentials!.id))?.mustChangePassword).toBe(true);
    expect(result.stdout).toContain('set their own password at first login');
  });

  it("keeps a password given as the person's own with --own-password", async () => {
    const result = await runCli(
      [
        'user',
        'create',
        '--email',
        'eigen@sh.example',
        '--name',
        'Eigen',
        '--org',
        'SH',
        '--password-stdin',
        '--own-password',
      ],
      env,
      'mein eigenes Passwort\n',
    );
    expect(result.code).toBe(0);
    const credentials = await findCredentials(database.db, 'eigen@sh.example');
    expect((await findUserById(database.db, credentials!.id))?.mustChangePassword).toBe(false);
  });

  it('exits 1 with a message when the e-mail address is taken', async () => {
    await runCli(
      ['user', 'create', '--email', 'twice@sh.example', '--name', 'A', '--org', 'SH', '--password-stdin'],
      env,
      'ein langes Passwort',
    );
    const again = await runCli(
      ['user', 'create', '--email', 'twice@sh.example', '--name', 'B', '--org', 'SH', '--password-stdin'],
      env,
      'ein langes Passwort',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already in use/);
  });

  it('creates a room with an owner and grants an organisation', async () => {
    const room = await runCli(['room', 'create', '--name', 'AG KI', '--owner', 'kai@mv.example'], env);
    expect(room.code).toBe(0);
    const roomId = room.stdout.match(/\(([0-9a-f-]{36})\)/)![1]!;
    const grant = await runCli(['room', 'grant', '--room', roomId, '--org', 'SH', '--role', 'viewer'], env);
    expect(grant.code).toBe(0);
    expect((await listGrants(database.db, roomId)).map((g) => [g.organization.code, g.role])).toEqual([
      ['SH', 'viewer'],
    ]);
  });

  it('disables a user', async () => {
    await runCli(
      ['user', 'create', '--email', 'weg@sh.example', '--name', 'Weg', '--org', 'SH', '--password-stdin'],
      env,
      'ein langes Passwort',
    );
    expect((await runCli(['user', 'disable', '--email', 'weg@sh.example'], env)).code).toBe(0);
    expect((await findCredentials(database.db, 'weg@sh.example'))?.disabledAt).toBeInstanceOf(Date);
  });

  it.each([
    [['frobnicate']],
    [[]],
    [['user', 'create', '--email', 'x@sh.example']],
    [['user', 'create', '--email', 'not-an-address', '--name', 'N', '--org', 'SH', '--password-stdin']],
    [['user', 'create', '--email', 'x@sh.example', '--name', 'N', '--org', 'XX', '--password-stdin']],
    [['room', 'grant', '--room', 'nope', '--org', 'SH', '--role', 'viewer']],
    [['room', 'grant', '--room', '00000000-0000-4000-8000-000000000000', '--org', 'SH', '--role', 'king']],
    [['room', 'create', '--name', 'X', '--unknown-flag']],
  ])('prints a usage line and exits 2 for %j', async (args) => {
    const result = await runCli(args, env, 'ein langes Passwort');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: npm run cli/);
  });

  it('refuses a too short password with exit 2', async () => {
    const result = await runCli(
      ['user', 'create', '--email', 'kurz@sh.example', '--name', 'K', '--org', 'SH', '--password-stdin'],
      env,
      'kurz',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/at least 12/);
  });

  it('exits 2 for an invalid environment', async () => {
    const result = await runCli(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/DATABASE_URL/);
  });
});
