import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { type AppliedPriority, type ThreadPriority, threadSchedule } from './thread-priority.ts';

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

describe.runIf(process.platform === 'linux')("lowering V8's platform threads", () => {
  it('lowers every V8Worker thread of the process, by the nice value only, and no other thread', () => {
    // In a process of its own: the nice value of a thread cannot be raised back without privilege.
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      const { lowerPlatformThreads, threadSchedule } = await import(${JSON.stringify(moduleUrl)});
      const lowered = lowerPlatformThreads(17);
      const threads = readdirSync('/proc/self/task').map((task) => ({
        threadId: Number(task),
        name: readFileSync('/proc/self/task/' + task + '/comm', 'utf8').trim(),
        ...threadSchedule('/proc/self/task/' + task + '/stat'),
      }));
      console.log(JSON.stringify({ lowered, threads }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const { lowered, threads } = JSON.parse(output) as {
      lowered: { threadIds: number[]; niceness: number };
      threads: { threadId: number; name: string; policy: number; nice: number }[];
    };
    const own = threadSchedule('/proc/thread-self/stat').nice;
    const platform = threads.filter((thread) => thread.name === 'V8Worker');
    expect(platform.length).toBeGreaterThan(0);
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    expect(sorted(lowered.threadIds)).toEqual(sorted(platform.map((thread) => thread.threadId)));
    expect(lowered.niceness).toBe(17);
    for (const thread of platform) expect(thread).toMatchObject({ policy: 0, nice: Math.max(17, own) });
    for (const thread of threads.filter((thread) => thread.name !== 'V8Worker')) expect(thread.nice).toBe(own);
  });
});
