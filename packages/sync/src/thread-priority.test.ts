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
