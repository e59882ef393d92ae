/**
 * Capacity: the edit rate is raised until the p99 edit-to-remote passes 50 ms or an edit is not
 * delivered; the highest rate that passed is the server's sustained rate. So that the load
 * generator is not the limit, no socket keeps a Y.Doc of the whole document (listeners count what
 * they receive, writers type from a document of their own edits: LoadPlan.rawWriters), and the
 * sockets are spread over worker threads. The rate doubles until a step fails, then the search
 * halves the gap between the highest passing and the lowest failing rate until they are close. A
 * failing step is run once more, and the rate fails only if that fails too.
 */
import { availableParallelism } from 'node:os';
import { percentile } from '../report.ts';
import { runSpreadLoad } from '../spread-load.ts';
import type { Target } from '../target.ts';

/** The shape of the load and of the search. */
export interface CapacityPlan {
  /** Documents at least; more are added so that no writer types faster than maxWriterRate. */
  docs: number;
  socketsPerDoc: number;
  writersPerDoc: number;
  /** Edits per second of one writer at most: a person types far fewer, Nordraum holds back beyond 200/s. */
  maxWriterRate: number;
  /** The first step's rate over all writers (edits/s), also run once unmeasured as a warm-up. */
  startRate: number;
  /** The search stops when the lowest failing rate is at most this factor above the highest passing one. */
  precision: number;
  /** No step goes above this rate (edits/s). */
  maxRate: number;
  seconds: number;
  /** Worker threads of the load generator. */
  threads: number;
}

export const defaultCapacityPlan: CapacityPlan = {
  docs: 10,
  socketsPerDoc: 10,
  writersPerDoc: 4,
  maxWriterRate: 100,
  startRate: 1000,
  precision: 1.15,
  maxRate: 64_000,
  seconds: 5,
  threads: Math.max(2, availableParallelism()),
};

/** The search's bounds, for the description of the load. */
export const capacityRates = (plan: CapacityPlan) => [plan.startRate, plan.maxRate];

/** The p99 a step may reach and still count as sustained (ms). */
export const capacityP99Ms = 50;

/** One step's figures. */
export interface CapacityStep {
  /** The rate the step was planned for (edits/s over all writers). */
  nominal: number;
  /** Edits per second typed over all writers (edits sent / seconds). */
  rate: number;
  p50: number;
  p99: number;
  deliveredPercent: number;
  generatorLagP99Ms: number;
  /** Share of one core the server's process used, and the generator's threads together (%). */
  serverCorePercent: number;
  databaseCorePercent: number | undefined;
  generatorCorePercent: number;
  machineBusyPercent: number;
  /** Of the machine's CPU, what other programs used (other benchmarks are held off, builds and tests are not). */
  otherBusyPercent: number;
  /** Nordraum: edits per database commit, and the share of the step a commit was in flight (%). */
  editsPerCommit: number | undefined;
  commitBusyPercent: number | undefined;
  passed: boolean;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Documents and the writers' rate for a rate over all writers. */
export function stepShape(plan: CapacityPlan, rate: number) {
  const docs = Math.max(plan.docs, Math.ceil(rate / (plan.writersPerDoc * plan.maxWriterRate)));
  return {
    docs,
    socketsPerDoc: plan.socketsPerDoc,
    writersPerDoc: plan.writersPerDoc,
    rate: rate / (docs * plan.writersPerDoc),
    seconds: plan.seconds,
    settle: false,
    rawWriters: true,
  };
}

async function runStep(target: Target, plan: CapacityPlan, nominal: number): Promise<CapacityStep> {
  // Read around the whole step: commits happen only while edits arrive, i.e. in the measured part.
  const commitSeconds0 = await target.commitSeconds?.();
  const load = await runSpreadLoad(target, stepShape(plan, nominal), plan.threads);
  const commitSeconds1 = await target.commitSeconds?.();
  const core = (cpuSeconds: number) => (100 * cpuSeconds) / plan.seconds;
  const step: CapacityStep = {
    nominal,
    rate: load.sent / plan.seconds,
    p50: percentile(load.tally.latencies, 50),
    p99: percentile(load.tally.latencies, 99),
    deliveredPercent: (100 * load.tally.delivered) / Math.max(1, load.expected),
    generatorLagP99Ms: load.generatorLagP99Ms,
    serverCorePercent: core(load.serverCpuSeconds),
    databaseCorePercent: load.databaseCpuSeconds === undefined ? undefined : core(load.databaseCpuSeconds),
    generatorCorePercent: core(load.generatorCpuSeconds),
    machineBusyPercent: load.machineBusyPercent,
    otherBusyPercent: load.otherBusyPercent,
    editsPerCommit: load.commits ? load.sent / load.commits : undefined,
    commitBusyPercent:
      commitSeconds0 === undefined || commitSeconds1 === undefined ? undefined : core(commitSeconds1 - commitSeconds0),
    passed: false,
  };
  step.passed = step.p99 <= capacityP99Ms && load.tally.delivered >= load.expected && load.failedConnects === 0;
  return step;
}

function describe(step: CapacityStep): string {
  // One commit is in flight at a time: near 100 % busy, edits wait for the commit before theirs.
  const commits =
    step.editsPerCommit === undefined || step.commitBusyPercent === undefined
      ? ''
      : `; ${step.editsPerCommit.toFixed(1)} edits a commit, a commit in flight ` +
        `${step.commitBusyPercent.toFixed(0)} % of the time`;
  const database = step.databaseCorePercent === undefined ? '' : `, database ${step.databaseCorePercent.toFixed(0)} %`;
  return (
    `${step.nominal.toFixed(0)} edits/s planned, ${step.rate.toFixed(0)} typed: p50 ${step.p50.toFixed(1)} ms, p99 ${step.p99.toFixed(1)} ms, ` +
    `${step.deliveredPercent.toFixed(1)} % delivered; CPU of one core: server ${step.serverCorePercent.toFixed(0)} %` +
    `${database}, generator ${step.generatorCorePercent.toFixed(0)} % (lag p99 ${step.generatorLagP99Ms.toFixed(1)} ms); ` +
    `machine ${step.machineBusyPercent.toFixed(0)} % busy, ${step.otherBusyPercent.toFixed(0)} % of it other programs${commits}${step.passed ? '' : ' (over the limit)'}`
  );
}

/**
 * Searches the highest passing rate; returns it as typed (0 if none passed) and every step in the
 * order run (a failing rate is run a second time).
 */
export async function capacity(target: Target, plan: CapacityPlan, progress: (text: string) => void) {
  const steps: CapacityStep[] = [];
  // A freshly started server compiles and grows its heap under the first load: the first step is
  // run once unmeasured, so that a start-up pause is not taken for the server's limit.
  const warm = await runStep(target, plan, plan.startRate);
  progress(`  warm-up (not counted): ${describe(warm)}`);
  await sleep(target.unloadWaitMs);
  let highestPassed: CapacityStep | undefined;
  let lowestFailed: CapacityStep | undefined;
  let nominal = plan.startRate;
  for (;;) {
    let step = await runStep(target, plan, nominal);
    steps.push(step);
    progress(`  ${describe(step)}`);
    if (!step.passed) {
      // A rate fails only if it fails twice: on a machine shared with other work, one pause of a
      // few tens of ms (a build, a test run) takes a step's p99 over the limit at any rate.
      await sleep(target.unloadWaitMs);
      step = await runStep(target, plan, nominal);
      steps.push(step);
      progress(`  again: ${describe(step)}`);
    }
    if (step.passed && (!highestPassed || step.nominal > highestPassed.nominal)) highestPassed = step;
    if (!step.passed && (!lowestFailed || step.nominal < lowestFailed.nominal)) lowestFailed = step;
    const low = highestPassed?.nominal ?? 0;
    const high = lowestFailed?.nominal;
    if (high === undefined) {
      if (nominal >= plan.maxRate) break;
      nominal = Math.min(plan.maxRate, nominal * 2);
    } else if (low === 0) {
      if (high < 50) break;
      nominal = high / 2;
    } else {
      if (high <= low * plan.precision) break;
      nominal = Math.round(Math.sqrt(low * high));
    }
    // The step's documents unload before the next step's load begins.
    await sleep(target.unloadWaitMs);
  }
  return { sustained: highestPassed?.rate ?? 0, failedRate: lowestFailed?.rate, steps };
}
