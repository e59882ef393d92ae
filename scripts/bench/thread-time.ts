/**
 * Where the machine's time goes while jobs run and between them, without perf: the kernel's
 * per-thread scheduler figures (/proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU, and
 * nanoseconds runnable but waiting for one) of Nordraum's threads by kind, PostgreSQL's processes
 * and this process. Waiting time is what a stall is made of: the main thread or a database
 * backend ready to run with no core free for it.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Nanoseconds on a CPU and waiting for one, per group of threads. */
export type ThreadTimes = Map<string, { cpuNs: number; waitNs: number }>;

/** Node's and libuv's thread names (comm) to the groups shown. */
function groupOf(comm: string): string {
  if (comm === 'MainThread' || comm === 'node') return 'server main thread';
  if (comm === 'WorkerThread') return 'server worker threads';
  if (comm === 'V8Worker') return 'V8 platform threads';
  if (comm.startsWith('libuv-worker')) return 'libuv threadpool';
  return 'server other threads';
}

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the thread or process ended between listing and reading
  }
};

function addTasks(times: ThreadTimes, pid: number, group: (comm: string) => string) {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tasks) {
    const [cpu, wait] = read(`/proc/${pid}/task/${tid}/schedstat`).split(' ');
    if (cpu === undefined || wait === undefined) continue;
    const name = group(read(`/proc/${pid}/task/${tid}/comm`).trim());
    const entry = times.get(name) ?? { cpuNs: 0, waitNs: 0 };
    entry.cpuNs += Number(cpu);
    entry.waitNs += Number(wait);
    times.set(name, entry);
  }
}

/** The processes whose parent is `parent` (PostgreSQL's backends and helpers). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent) children.push(Number(entry));
  }
  return children;
}

/**
 * A reader of the times of `serverPid`'s threads, its other child processes (the export render
 * process, which starts and ends with exports: looked up at every read), PostgreSQL (`databasePid`
 * and its children, as they are when the reader is made) and this process. Returns null off Linux.
 * A render process that ended between two reads takes its time with it: that time is missing.
 */
export function threadTimeReader(serverPid: number, databasePid: number | undefined): (() => ThreadTimes) | null {
  if (process.platform !== 'linux') return null;
  const database = databasePid === undefined ? [] : [databasePid, ...childrenOf(databasePid)];
  return () => {
    const times: ThreadTimes = new Map();
    addTasks(times, serverPid, groupOf);
    for (const pid of childrenOf(serverPid)) {
      if (!database.includes(pid)) addTasks(times, pid, () => 'export render process');
    }
    for (const pid of database) addTasks(times, pid, () => 'PostgreSQL');
    addTasks(times, process.pid, () => 'bench (typists)');
    return times;
  };
}

/** `later` minus `earlier`, added into `sum`. */
export function addDifference(sum: ThreadTimes, later: ThreadTimes, earlier: ThreadTimes) {
  for (const [group, { cpuNs, waitNs }] of later) {
    const before = earlier.get(group) ?? { cpuNs: 0, waitNs: 0 };
    const entry = sum.get(group) ?? { cpuNs: 0, waitNs: 0 };
    entry.cpuNs += Math.max(0, cpuNs - before.cpuNs);
    entry.waitNs += Math.max(0, waitNs - before.waitNs);
    sum.set(group, entry);
  }
}
