import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Node's arguments for the server as `npm start` gives them (flags, then the bundle), read from
 * package.json so that tests and benchmarks run exactly what operators run.
 */
export function serverArguments(): string[] {
  const start = (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: { start: string } }).scripts
    .start;
  const command = start.split('&&').at(-1)!.trim().split(/\s+/);
  if (command[0] !== 'node' || command.at(-1) !== 'apps/server/dist/main.mjs')
    throw new Error(`npm start no longer ends in "node ... apps/server/dist/main.mjs": ${start}`);
  return command.slice(1);
}

/** A Nordraum server running as its own process, as an operator starts it. */
export interface NordraumProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Milliseconds from spawn until /readyz answered 200. */
  readyAfterMs: number;
  /** Sends a signal and waits for the exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the server bundle as `npm start` runs it, on a free port, and waits until /readyz answers 200. */
export async function startNordraumProcess(env: Record<string, string>): Promise<NordraumProcess> {
  const started = Date.now();
  const child = spawn(process.execPath, serverArguments(), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = output.match(/"url":"(http:[^"]+)"[^\n]*"msg":"Nordraum is ready"/);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`Nordraum exited with ${code}:\n${output}`));
    });
  });
  while (
    (await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    await new Promise((done) => setTimeout(done, 20));
  }
  return {
    url,
    child,
    output: () => output,
    readyAfterMs: Date.now() - started,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs the operator CLI and collects its exit code and output. */
export function runCli(args: string[], env: Record<string, string>, input?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['apps/server/src/cli.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdin.end(input ?? '');
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Whether util-linux's `chrt`, which sets SCHED_IDLE, can be run here (tests expect SCHED_IDLE only then). */
export function chrtAvailable(): boolean {
  try {
    execFileSync('chrt', ['--version'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}
