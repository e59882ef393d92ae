/** Command-line flags of `npm run bench`; bad flags print the usage line and exit with 2. */
import { parseArgs } from 'node:util';

/** Every server the benchmark knows, in the order they run. */
export const serverNames = ['nordraum', 'y-websocket-server', 'hocuspocus', 'hocuspocus-sqlite'] as const;
/** One of serverNames. */
export type ServerName = (typeof serverNames)[number];

/** The resolved options of one run. */
export interface Options {
  docs: number;
  clients: number;
  rate: number;
  seconds: number;
  mode: 'full' | 'listeners' | 'both';
  sockets: number;
  writers: number;
  only: ServerName[];
  updates: number;
  loads: number;
  startup: boolean;
  restarts: number;
  quick: boolean;
  /** Also time the roadmap and action list pages in Chromium (scripts/bench-lists.ts). */
  lists: boolean;
  /** Also measure search queries over a seeded index and the decision register (scripts/bench-search.ts, scripts/bench-decisions.ts). */
  search: boolean;
  /** Also measure the document history (scripts/bench/history.ts). */
  history: boolean;
}

export const usage =
  'usage: npm run bench -- [--docs N] [--clients M] [--rate R] [--seconds T] [--mode full|listeners|both] ' +
  '[--sockets S] [--writers W] [--only nordraum,y-websocket-server,hocuspocus,hocuspocus-sqlite] ' +
  '[--updates U] [--no-startup] [--no-lists] [--no-search] [--no-history] [--quick]';

const defaults = {
  docs: 20,
  clients: 10,
  rate: 2,
  seconds: 20,
  sockets: 1000,
  writers: 2,
  updates: 10_000,
  loads: 5,
  restarts: 5,
};
// A smoke run of a few seconds per server; explicit flags still win.
const quick = {
  docs: 4,
  clients: 5,
  rate: 2,
  seconds: 3,
  sockets: 100,
  writers: 2,
  updates: 1000,
  loads: 3,
  restarts: 1,
};

class UsageError extends Error {}

function positive(name: string, raw: string | undefined, fallback: number, integer = true): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

function servers(raw: string | undefined): ServerName[] {
  if (raw === undefined) return [...serverNames];
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(serverNames as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`--only: unknown server ${unknown.join(', ')}`);
  return serverNames.filter((name) => names.includes(name));
}

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...Object.fromEntries(
        ['docs', 'clients', 'rate', 'seconds', 'mode', 'sockets', 'writers', 'only', 'updates'].map((n) => [
          n,
          { type: 'string' },
        ]),
      ),
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      'no-startup': { type: 'boolean', default: false },
      'no-lists': { type: 'boolean', default: false },
      'no-search': { type: 'boolean', default: false },
      'no-history': { type: 'boolean', default: false },
    } as const,
  });
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) {
    console.log(usage);
    process.exit(0);
  }
  const base = v.quick ? quick : defaults;
  const text = (name: string) => v[name] as string | undefined;
  const mode = text('mode') ?? 'both';
  if (mode !== 'full' && mode !== 'listeners' && mode !== 'both')
    throw new UsageError('--mode must be full, listeners or both');
  const options: Options = {
    docs: positive('docs', text('docs'), base.docs),
    clients: positive('clients', text('clients'), base.clients),
    rate: positive('rate', text('rate'), base.rate, false),
    seconds: positive('seconds', text('seconds'), base.seconds, false),
    mode,
    sockets: positive('sockets', text('sockets'), base.sockets),
    writers: positive('writers', text('writers'), base.writers),
    only: servers(text('only')),
    updates: positive('updates', text('updates'), base.updates),
    loads: base.loads,
    startup: !v['no-startup'],
    restarts: base.restarts,
    quick: Boolean(v.quick),
    lists: !v['no-lists'] && servers(text('only')).includes('nordraum'),
    search: !v['no-search'] && servers(text('only')).includes('nordraum'),
    history: !v['no-history'] && servers(text('only')).includes('nordraum'),
  };
  if (options.clients < 2) throw new UsageError('--clients must be at least 2 (edits go to the other clients)');
  if (Math.floor(options.sockets / options.docs) <= options.writers) {
    throw new UsageError('--sockets per document must exceed --writers');
  }
  return options;
}

/** Parses the flags; on a bad flag prints the reason and the usage line and exits with 2. */
export function parseOptions(argv: string[]): Options {
  try {
    return parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
}
