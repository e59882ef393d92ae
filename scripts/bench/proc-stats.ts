/**
 * CPU time and memory of server processes, read from /proc so that the load generator never has
 * to ask the server (which would add work to what is being measured).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

// Clock ticks per second for utime/stime; 100 on every common Linux, but ask to be sure.
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used; with `children`, also those of its reaped children. */
export function cpuSeconds(pid: number, children = false): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  // After the command name: index 11 utime, 12 stime, 13 cutime, 14 cstime (stat fields 14-17).
  const own = Number(fields[11]) + Number(fields[12]);
  const reaped = children ? Number(fields[13]) + Number(fields[14]) : 0;
  return (own + reaped) / ticksPerSecond;
}

/** CPU seconds (user + system) one thread of a process has used (the main thread's id is the process's). */
export function threadCpuSeconds(pid: number, tid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

function statusKiB(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * How often a process's main thread went to sleep and was woken again (voluntary context
 * switches): one per wait for a socket or a timer. Each costs the kernel's scheduling work on top
 * of the work done once awake, which on a virtual machine's cores is far from free.
 */
export function wakeups(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^voluntary_ctxt_switches:\s+(\d+)/m);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of a process now, in MiB. */
export function rssMiB(pid: number): number {
  return statusKiB(pid, 'VmRSS') / 1024;
}

/** Peak resident memory of a process since start or the last resetPeakRss, in MiB. */
export function peakRssMiB(pid: number): number {
  return statusKiB(pid, 'VmHWM') / 1024;
}

/** Resets VmHWM so that the next peak reading covers only what follows (Linux clear_refs 5). */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not permitted or not supported: the peak then covers the process's whole life.
  }
}

/** All descendants of a process (children, grandchildren, ...), found by scanning /proc. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    if (!Number.isFinite(ppid)) continue;
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * CPU seconds of a process tree (e.g. the PostgreSQL postmaster and its backends): the root
 * including reaped children, plus every live descendant.
 */
export function treeCpuSeconds(root: number): number {
  return descendants(root).reduce((sum, pid) => sum + cpuSeconds(pid), cpuSeconds(root, true));
}

/**
 * CPU seconds of a Nordraum server: its own, its child processes' other than the database's tree
 * `databasePid` (the export render process, which starts with the first export and ends when
 * idle), those reaped included.
 */
export function serverCpuSeconds(pid: number, databasePid: number | undefined): number {
  const database = databasePid === undefined ? [] : [databasePid, ...descendants(databasePid)];
  const others = descendants(pid).filter((child) => !database.includes(child));
  return others.reduce((sum, child) => sum + cpuSeconds(child), cpuSeconds(pid, true));
}

/** Summed resident memory of a process tree in MiB (shared pages are counted once per process). */
export function treeRssMiB(root: number): number {
  return descendants(root).reduce((sum, pid) => sum + rssMiB(pid), rssMiB(root));
}

/** Busy and total jiffies of the whole machine (all cores), from the first line of /proc/stat. */
export function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  // idle (4th) and iowait (5th) are the only non-busy states.
  return { busy: total - fields[3]! - fields[4]!, total };
}
