import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the priority of the calling thread, for worker threads that work in the background
 * (exports, imports, version states) beside the main thread that serves live editing.
 *
 * On Linux each thread has its own scheduling. A nice value only changes a thread's share of a
 * busy core: a waking main thread or database process may still queue behind it, or be placed on
 * the other core behind someone else, for a scheduler tick or more. A thread under SCHED_IDLE
 * counts as no load at all: a core running only such threads is taken as idle when a waking
 * task is placed (Linux 5.4 and later), and the waking task preempts it at once. Node has no
 * call for the policy, so util-linux's `chrt` sets it (lowering needs no privilege); without
 * `chrt` (or where the policy does not take), the nice value is all there is.
 */

/** `idle`: SCHED_IDLE, else the nice value; `nice`: only the nice value. */
export type ThreadScheduling = 'idle' | 'nice';

export interface ThreadPriority {
  scheduling: ThreadScheduling;
  /**
   * Nice value (0 to 19), set in either case unless the thread's is higher already; under
   * SCHED_IDLE it weighs only if the policy is changed back.
   */
  niceness: number;
}

/**
 * The defaults: nice 10. SCHED_IDLE is an operator's choice, not the default: on a machine whose
 * cores are busy all the time an idle-policy thread hardly runs at all, and exports, imports and
 * version saves are work someone waits for (with three busy loops on two cores the export and
 * history tests took 150 s under SCHED_IDLE, 12.5 s at nice 10).
 */
export const backgroundPriority: Readonly<ThreadPriority> = { scheduling: 'nice', niceness: 10 };

/** What {@link lowerThreadPriority} achieved: the policy now in force, and why not more. */
export interface AppliedPriority {
  /** `idle`: SCHED_IDLE; `nice`: the nice value under the normal policy; `none`: not Linux. */
  applied: 'idle' | 'nice' | 'none';
  /** The thread's id (Linux), for /proc/<pid>/task/<threadId>. */
  threadId?: number;
  niceness?: number;
  /** Why SCHED_IDLE was asked for and not applied. */
  reason?: string;
}

/** SCHED_IDLE's number in the kernel's `policy` field. */
const schedIdle = 5;

/** The scheduling policy and nice value of a thread, from the stat file of /proc/<pid>/task/<tid> (or /proc/thread-self). */
export function threadSchedule(statPath: string): { policy: number; nice: number } {
  // The command name (second field) is in parentheses and may hold spaces: count from after it.
  const stat = readFileSync(statPath, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 19 (nice) and 41 (policy) of proc_pid_stat(5); the list here starts at field 3.
  return { nice: Number(fields[16]), policy: Number(fields[38]) };
}

/** Lowers the calling thread's priority as `priority` says; see the module's comment. */
export function lowerThreadPriority(priority: ThreadPriority = backgroundPriority): AppliedPriority {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return { applied: 'none' }; // not Linux: the thread keeps the process's priority
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return { applied: 'none' };
  // Never above the process's own (a process started with `nice -n 15` keeps its threads there,
  // and without privilege a thread may not go back up anyway).
  const niceness = Math.max(priority.niceness, getPriority(threadId));
  setPriority(threadId, niceness);
  if (priority.scheduling !== 'idle') return { applied: 'nice', threadId, niceness };
  let reason: string | undefined;
  try {
    // Run once per thread start, without a shell; this blocks only the thread being lowered.
    execFileSync('chrt', ['--idle', '-p', '0', String(threadId)], { stdio: 'ignore', timeout: 5_000 });
  } catch (error) {
    reason = `chrt failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  // Believe the kernel, not the exit code.
  const { policy } = threadSchedule('/proc/thread-self/stat');
  if (policy === schedIdle) return { applied: 'idle', threadId, niceness };
  return { applied: 'nice', threadId, niceness, reason: reason ?? `policy is ${policy} after chrt` };
}

/** The name (comm) Node gives the threads of V8's platform: the pool that runs every isolate's background tasks. */
const platformThreadName = 'V8Worker';

/** What {@link lowerPlatformThreads} did: the platform threads' ids and the nice value they now have. */
export interface LoweredPlatformThreads {
  threadIds: number[];
  niceness: number;
}

/**
 * Lowers V8's platform threads (comm `V8Worker`, one pool per process that every isolate shares)
 * to the nice value `niceness`. A worker thread's garbage collection runs mostly there: its
 * concurrent marking, parallel scavenging and compaction, and its optimising compiler. During a
 * 50-page export they took about 470 ms of CPU a second at the normal priority, beside the main
 * thread on two cores, however low the worker itself was; at the worker's nice value the main
 * thread (and the database) come first again. The main thread's own background collection runs
 * on the same threads and gets slower only when the cores are busy (the main thread does the
 * rest of the work itself when helpers lag). Only the nice value, never SCHED_IDLE: the main
 * thread's collections wait for these threads. Returns null off Linux.
 */
export function lowerPlatformThreads(niceness: number): LoweredPlatformThreads | null {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const threadIds: number[] = [];
  for (const task of tasks) {
    let name: string;
    try {
      name = readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim();
    } catch {
      continue; // the thread ended between listing and reading
    }
    if (name !== platformThreadName) continue;
    const threadId = Number(task);
    // As for the calling thread: never above where the thread is (or the process started).
    setPriority(threadId, Math.max(niceness, getPriority(threadId)));
    threadIds.push(threadId);
  }
  return { threadIds, niceness };
}
