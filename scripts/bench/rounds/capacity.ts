/**
 * Capacity: the edit rate is raised step by step (listeners mode, so that the load generator
 * holds few Yjs documents and is not the limit) until the p99 edit-to-remote passes 50 ms or
 * an edit is not delivered; the highest rate that passed is the server's sustained rate.
 */
import { runLoad } from '../load.ts';
import { percentile } from '../report.ts';
import type { Target } from '../target.ts';

/** The load of each step: documents and sockets per document; writers and their rates rise. */
export interface CapacityPlan {
  docs: number;
  socketsPerDoc: number;
  /** Writers per document and edits per second of each, one step each, rising. */
  steps: { writersPerDoc: number; rate: number }[];
  seconds: number;
}

/**
 * 200 to 8,000 edits/s over 10 documents of 10 sockets. A writer types at most 100 edits/s: a
 * person types far fewer, and Nordraum holds back a connection's frames beyond 200/s.
 */
export const defaultCapacityPlan: CapacityPlan = {
  docs: 10,
  socketsPerDoc: 10,
  steps: [
    { writersPerDoc: 2, rate: 10 },
    { writersPerDoc: 2, rate: 25 },
    { writersPerDoc: 2, rate: 50 },
    { writersPerDoc: 2, rate: 100 },
    { writersPerDoc: 4, rate: 75 },
    { writersPerDoc: 4, rate: 100 },
    { writersPerDoc: 6, rate: 100 },
    { writersPerDoc: 8, rate: 100 },
  ],
  seconds: 5,
};

/** The nominal edits per second of each step, for the description of the load. */
export const capacityRates = (plan: CapacityPlan) =>
  plan.steps.map((step) => plan.docs * step.writersPerDoc * step.rate);

/** The p99 a step may reach and still count as sustained (ms). */
export const capacityP99Ms = 50;

/** One step's figures. */
export interface CapacityStep {
  /** Edits per second typed over all writers (edits sent / seconds). */
  rate: number;
  p99: number;
  deliveredPercent: number;
  generatorLagP99Ms: number;
  passed: boolean;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Runs the steps until one fails; returns the highest passing rate (0 if none) and every step. */
export async function capacity(target: Target, plan: CapacityPlan, progress: (text: string) => void) {
  const steps: CapacityStep[] = [];
  let sustained = 0;
  // A freshly started server compiles and grows its heap under the first load: the first step is
  // run once unmeasured, so that a start-up pause is not taken for the server's limit.
  const { docs, socketsPerDoc, seconds } = plan;
  const first = plan.steps[0]!;
  const warm = await runLoad(target, { docs, socketsPerDoc, ...first, seconds, settle: false });
  progress(
    `  warm-up at ${(warm.sent / seconds).toFixed(0)} edits/s: p99 ${percentile(warm.tally.latencies, 99).toFixed(1)} ms (not counted)`,
  );
  await sleep(target.unloadWaitMs);
  for (const { writersPerDoc, rate } of plan.steps) {
    const load = await runLoad(target, { docs, socketsPerDoc, writersPerDoc, rate, seconds, settle: false });
    const step: CapacityStep = {
      rate: load.sent / plan.seconds,
      p99: percentile(load.tally.latencies, 99),
      deliveredPercent: (100 * load.tally.delivered) / Math.max(1, load.expected),
      generatorLagP99Ms: load.generatorLagP99Ms,
      passed: false,
    };
    step.passed = step.p99 <= capacityP99Ms && load.tally.delivered >= load.expected && load.failedConnects === 0;
    steps.push(step);
    progress(
      `  ${step.rate.toFixed(0)} edits/s: p99 ${step.p99.toFixed(1)} ms, ${step.deliveredPercent.toFixed(1)} % delivered, ` +
        `generator lag p99 ${step.generatorLagP99Ms.toFixed(1)} ms${step.passed ? '' : ' (over the limit)'}`,
    );
    if (!step.passed) break;
    sustained = step.rate;
    // The step's documents unload before the next step's load begins.
    await sleep(target.unloadWaitMs);
  }
  return { sustained, steps };
}
