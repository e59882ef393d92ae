/**
 * Server child processes: spawned with this Node binary, their output kept (bounded) for error
 * messages, stopped with SIGTERM and, if that does not end them in time, SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, the working directory of every child. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

const keptOutput = 16_384;
const running = new Set<Child>();

/** Stops every child still running (SIGTERM first, so Nordraum can stop its PostgreSQL). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

// Last resort if the benchmark itself dies: no server may outlive it.
process.on('exit', () => {
  for (const child of running) child.process.kill('SIGKILL');
});

/** A running child with the tail of its stdout and stderr. */
export interface Child {
  process: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `node <script> ...args` in the repository root with exactly the given environment. */
export function spawnNode(args: string[], env: Record<string, string | undefined>, cwd = root): Child {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Always drain both pipes: a child blocked on a full pipe would distort every figure.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-keptOutput);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const handle: Child = {
    process: child,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Waits until the child's stdout matches `pattern` and returns the first capture group. */
export function waitForOutput(child: Child, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = child.output();
    const finish = (error?: Error, value?: string) => {
      clearTimeout(timer);
      child.process.stdout!.off('data', onData);
      child.process.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) finish(undefined, match[1] ?? match[0]);
    };
    const onExit = () => finish(new Error(`${child.process.spawnargs.join(' ')} exited early:\n${child.output()}`));
    const timer = setTimeout(
      () => finish(new Error(`no ${pattern} within ${timeoutMs} ms:\n${child.output()}`)),
      timeoutMs,
    );
    child.process.stdout!.on('data', onData);
    child.process.once('exit', onExit);
    onData(Buffer.alloc(0));
  });
}
