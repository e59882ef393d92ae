/**
 * Query timings of the search benchmark, three ways for the same query strings: through
 * `GET /api/search` as the reader (what a person waits for: session, parsing, SQL, JSON), around
 * the repository call the route makes, and PostgreSQL's own execution time from
 * `EXPLAIN (ANALYZE, BUFFERS)` (the server side alone, which other load on a shared machine
 * disturbs least).
 */
import { type Database, searchEntries, searchStatement, type Viewer } from '@nordraum/db';
import { parseSearchQuery } from '@nordraum/domain';
import { sql } from 'drizzle-orm';
import { word } from './search-corpus.ts';

/** The three kinds of query the issue names, each made from the corpus' words. */
export const queryKinds = {
  'one word': () => word(),
  'two words': () => `${word()} ${word()}`,
  'prefix as typed': () => word().slice(0, 4),
} as const;

/** The figures of one kind of query. */
export interface QueryFigures {
  name: string;
  httpMs: number[];
  repositoryMs: number[];
  executionMs: number[];
  planningMs: number[];
  /** Shared buffers touched per query (hit + read). */
  buffers: number[];
  results: number[];
}

/** The value at percentile `p` of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Plan {
  'Execution Time': number;
  'Planning Time': number;
  Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number };
}

/** Options of {@link measureQueries}. */
export interface QueryOptions {
  db: Database;
  viewer: Viewer;
  /** Nordraum's origin and the reader's session cookie, for the API timings. */
  url: string;
  cookie: string;
  queries: number;
  /** Where the slowest query's plan of each kind is written (text), if given. */
  onPlan?: (kind: string, query: string, plan: string) => void;
}

async function timeHttp(options: QueryOptions, q: string) {
  const before = performance.now();
  const response = await fetch(`${options.url}/api/search?q=${encodeURIComponent(q)}&limit=20`, {
    headers: { cookie: options.cookie },
  });
  const body = (await response.json()) as { results?: unknown[] };
  const ms = performance.now() - before;
  if (!response.ok || !body.results) throw new Error(`GET /api/search: ${response.status} ${JSON.stringify(body)}`);
  return { ms, results: body.results.length };
}

/** Runs `queries` queries of each kind three ways and returns the timings, sorted. */
export async function measureQueries(options: QueryOptions): Promise<QueryFigures[]> {
  const { db, viewer } = options;
  // The server's first requests open connections and compile code: not what a person waits for.
  for (let run = 0; run < 5; run += 1) await timeHttp(options, queryKinds['one word']());
  const figures: QueryFigures[] = [];
  for (const [name, make] of Object.entries(queryKinds)) {
    const row: QueryFigures = {
      name,
      httpMs: [],
      repositoryMs: [],
      executionMs: [],
      planningMs: [],
      buffers: [],
      results: [],
    };
    let slowest = { ms: -1, q: '' };
    for (let run = 0; run < options.queries; run += 1) {
      const q = make();
      const http = await timeHttp(options, q);
      row.httpMs.push(http.ms);
      row.results.push(http.results);
      const request = { query: parseSearchQuery(q), limit: 20, offset: 0 };
      const before = performance.now();
      await searchEntries(db, viewer, request);
      row.repositoryMs.push(performance.now() - before);
      const explained = await db.execute<{ 'QUERY PLAN': Plan[] }>(
        sql`explain (analyze, buffers, format json) ${searchStatement(viewer, request)}`,
      );
      const plan = explained.rows[0]!['QUERY PLAN'][0]!;
      row.executionMs.push(plan['Execution Time']);
      row.planningMs.push(plan['Planning Time']);
      row.buffers.push(plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks']);
      if (plan['Execution Time'] > slowest.ms) slowest = { ms: plan['Execution Time'], q };
    }
    if (options.onPlan) {
      const request = { query: parseSearchQuery(slowest.q), limit: 20, offset: 0 };
      const text = await db.execute<{ 'QUERY PLAN': string }>(
        sql`explain (analyze, buffers) ${searchStatement(viewer, request)}`,
      );
      options.onPlan(name, slowest.q, text.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    for (const list of [row.httpMs, row.repositoryMs, row.executionMs, row.planningMs, row.buffers, row.results])
      list.sort((a, b) => a - b);
    figures.push(row);
  }
  return figures;
}
