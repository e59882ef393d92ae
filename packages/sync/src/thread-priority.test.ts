import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { chrtAvailable } from '../../../tests/helpers/process.ts';
import { type AppliedPriority, setIdlePolicy, type ThreadPriority, threadSchedule } from './thread-priority.ts';

const moduleUrl = new URL('./thread-priority.ts', import.meta.url).href;

/** Lowers a fresh worker thread's priority (with `env` as its environment); what it reported, and the kernel's view. */
async function lowerInAThread(priority: ThreadPriority, env?: Record<string, string>) {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.moduleUrl).then(({ lowerThreadPriority }) => {
      parentPort.postMessage(lowerThreadPriority(workerData.priority));
      parentPort.once('message', () => process.exit(0));
    });`;
  const worker = new Worker(code, { eval: true, workerData: { moduleUrl, priority }, env });
  try {
    const applied = await new Promise<AppliedPriority>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    // Read while the thread still runs.
    const kernel = threadSchedule(`/proc/${process.pid}/task/${applied.threadId}/stat`);
    return { applied, kernel };
  } finally {
    await worker.terminate();
  }
}

describe.runIf(process.platform === 'linux')('lowering a thread', () => {
  const own = () => threadSchedule('/proc/thread-self/stat');

  it('falls back to the nice value when chrt cannot be run, and says why', async () => {
    const { applied, kernel } = await lowerInAThread({ scheduling: 'idle', niceness: 12 }, { PATH: '/nonexistent' });
    const nice = Math.max(12, own().nice);
    expect(applied).toMatchObject({ applied: 'nice', niceness: nice, reason: expect.stringMatching(/chrt/) });
    expect(kernel).toEqual({ policy: 0, nice });
  });

  it('never raises a thread above the process', async () => {
    const { applied, kernel } = await lowerInAThread({ scheduling: 'nice', niceness: 0 });
    expect(applied.niceness).toBe(own().nice);
    expect(kernel).toEqual({ policy: 0, nice: own().nice });
  });
});

const chrt = chrtAvailable();

describe.runIf(process.platform === 'linux')('asking chrt for SCHED_IDLE', () => {
  const self = ['/proc/thread-self/stat'];

  it('says why when chrt fails', () => {
    // No such process: chrt exits with an error, and this thread keeps its policy.
    expect(setIdlePolicy(['-p', '0', '2147483646'], self)).toMatch(/^chrt failed/);
  });

  it.runIf(chrt)('believes the kernel, not the exit code', () => {
    // `chrt --idle --version` succeeds and changes nothing.
    expect(setIdlePolicy(['--version'], self)).toBe(`policy is ${threadSchedule(self[0]!).policy} after chrt`);
  });
});

describe.runIf(process.platform === 'linux')('lowering a whole process', () => {
  /** Lowers a fresh process as `priority` says; what it reported, and every thread's schedule after. */
  function lowerAProcess(priority: ThreadPriority) {
    // In a process of its own: the nice value of a thread cannot be raised back without privilege.
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      const { lowerProcessPriority, threadSchedule } = await import(${JSON.stringify(moduleUrl)});
      const lowered = lowerProcessPriority(${JSON.stringify(priority)});
      // A thread started afterwards (libuv's pool, on the first file read) inherits the scheduling.
      await import('node:fs/promises').then((fs) => fs.readFile(${JSON.stringify(new URL(import.meta.url).pathname)}));
      const threads = readdirSync('/proc/self/task').map((task) => ({
        name: readFileSync('/proc/self/task/' + task + '/comm', 'utf8').trim(),
        ...threadSchedule('/proc/self/task/' + task + '/stat'),
      }));
      console.log(JSON.stringify({ lowered, threads }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    return JSON.parse(output) as {
      lowered: { applied: string; niceness: number; threads: number };
      threads: { name: string; policy: number; nice: number }[];
    };
  }
  const own = () => threadSchedule('/proc/thread-self/stat').nice;

  it("lowers every thread, V8's platform threads and libuv's pool included, to the nice value", () => {
    const { lowered, threads } = lowerAProcess({ scheduling: 'nice', niceness: 17 });
    expect(lowered).toMatchObject({ applied: 'nice', niceness: Math.max(17, own()) });
    expect(threads.some((thread) => thread.name === 'V8Worker')).toBe(true);
    expect(threads.some((thread) => thread.name.startsWith('libuv-worker'))).toBe(true);
    for (const thread of threads) expect(thread).toMatchObject({ policy: 0, nice: Math.max(17, own()) });
  });

  it.runIf(chrt)('puts every thread under SCHED_IDLE when asked', () => {
    const { lowered, threads } = lowerAProcess({ scheduling: 'idle', niceness: 10 });
    expect(lowered).toMatchObject({ applied: 'idle', niceness: Math.max(10, own()) });
    for (const thread of threads) expect(thread).toMatchObject({ policy: 5, nice: Math.max(10, own()) });
  });
});
