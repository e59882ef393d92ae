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

/**
 * Asks `chrt --idle <args>` for SCHED_IDLE, then believes the kernel, not the exit code: undefined
 * when every thread whose stat file is in `statPaths` is under SCHED_IDLE (a thread that ended
 * meanwhile counts as such), else why not.
 */
export function setIdlePolicy(chrtArgs: string[], statPaths: string[]): string | undefined {
  let failed: string | undefined;
  try {
    // Without a shell; this blocks only the calling thread, once per thread or process lowered.
    execFileSync('chrt', ['--idle', ...chrtArgs], { stdio: 'ignore', timeout: 5_000 });
  } catch (error) {
    failed = `chrt failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const other = statPaths
    .map((path) => {
      try {
        return threadSchedule(path).policy;
      } catch {
        return schedIdle; // ended
      }
    })
    .find((policy) => policy !== schedIdle);
  if (other === undefined) return undefined;
  return failed ?? `policy is ${other} after chrt`;
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
  const reason = setIdlePolicy(['-p', '0', String(threadId)], ['/proc/thread-self/stat']);
  return reason === undefined
    ? { applied: 'idle', threadId, niceness }
    : { applied: 'nice', threadId, niceness, reason };
}

/** What {@link lowerProcessPriority} achieved: as {@link AppliedPriority}, for every thread of the process. */
export interface AppliedProcessPriority extends AppliedPriority {
  /** The process's threads when it was lowered (threads started later inherit the creating thread's). */
  threads: number;
}

/**
 * Lowers every thread of the calling process as `priority` says: its main thread and those Node
 * started before any of our code ran (V8's platform threads, where most garbage is collected and
 * code optimised). Threads started later (libuv's pool, started on first use) inherit the
 * scheduling of the thread that starts them. For a process that only works in the background
 * (the export render process); only the nice value for SCHED_IDLE where `chrt` fails.
 */
export function lowerProcessPriority(priority: ThreadPriority = backgroundPriority): AppliedProcessPriority {
  let tasks: number[];
  try {
    tasks = readdirSync('/proc/self/task').map(Number);
  } catch {
    return { applied: 'none', threads: 0 }; // not Linux: the process keeps its priority
  }
  // As for a thread: never above where the thread is (or the process started).
  const niceness = Math.max(priority.niceness, getPriority(process.pid));
  for (const task of tasks) {
    try {
      setPriority(task, Math.max(niceness, getPriority(task)));
    } catch {
      // the thread ended between listing and lowering
    }
  }
  const lowered = { threadId: process.pid, niceness, threads: tasks.length };
  if (priority.scheduling !== 'idle') return { applied: 'nice', ...lowered };
  // Every thread must be under SCHED_IDLE.
  const reason = setIdlePolicy(
    ['--all-tasks', '-p', '0', String(process.pid)],
    tasks.map((task) => `/proc/self/task/${task}/stat`),
  );
  return reason === undefined ? { applied: 'idle', ...lowered } : { applied: 'nice', ...lowered, reason };
}
