/**
 * Comments reaching open browsers live: `node scripts/bench-comments.ts [--streams N] [--comments M]`
 * (also `npm run bench:comments`; builds first).
 *
 * Nordraum as operators run it (the bundle, on a fresh embedded PostgreSQL): N (default 50) live
 * channels of one protocol open at once, as N browsers with the document open hold them
 * (`GET /api/documents/:id/events`, server-sent events), then M (default 40) comments written one
 * after another through the API, after one that warms the fresh process up (printed apart).
 * Printed: from sending each comment to each channel receiving it, p50/p95/p99 and the slowest,
 * over N x M deliveries. Target: p99 under 100 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { api, prepare, spawnNordraum } from './bench/nordraum.ts';

const { values } = parseArgs({
  options: { streams: { type: 'string', default: '50' }, comments: { type: 'string', default: '40' } },
});
const STREAMS = Number(values.streams);
const COMMENTS = Number(values.comments);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One live channel: calls `onThread` with each changed thread's first comment body. */
async function openChannel(url: string, documentId: string, cookie: string, onThread: (body: string) => void) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/documents/${documentId}/events`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let ready!: () => void;
  const opened = new Promise<void>((resolve) => {
    ready = resolve;
  });
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(message)?.[1];
        const data = /^data: (.*)$/m.exec(message)?.[1];
        if (event === 'threads') ready();
        if (event === 'thread' && data) {
          const thread = JSON.parse(data).thread as { comments: { body: string }[] };
          onThread(thread.comments[0]?.body ?? '');
        }
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  await opened;
  return () => controller.abort();
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-comments-'));
  const { child, url } = await spawnNordraum(dataDir);
  const closers: (() => void)[] = [];
  try {
    const { cookie, roomId } = await prepare(url);
    const { document } = (await (
      await api(url, `/api/rooms/${roomId}/documents`, cookie, { kind: 'notes', title: 'Protokoll' })
    ).json()) as { document: { id: string } };
    const sentAt = new Map<string, number>();
    const delays: number[] = [];
    let expected = 0;
    let arrived!: () => void;
    const onThread = (body: string) => {
      const sent = sentAt.get(body);
      if (sent === undefined) return;
      delays.push(performance.now() - sent);
      if (delays.length === expected) arrived();
    };
    for (let index = 0; index < STREAMS; index += 1) {
      closers.push(await openChannel(url, document.id, cookie, onThread));
    }
    // The first comment of a fresh process (code not yet optimised, connections not yet open) is
    // timed on its own; the figures are of the comments after it.
    let warmUp = 0;
    for (let index = -1; index < COMMENTS; index += 1) {
      if (index === 0) {
        warmUp = Math.max(...delays);
        delays.length = 0;
        expected = 0;
      }
      const body = `Anmerkung ${index}: bitte bis zur nächsten Sitzung prüfen.`;
      expected += STREAMS;
      const all = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      sentAt.set(body, performance.now());
      await api(url, `/api/documents/${document.id}/threads`, cookie, { body, anchor: { type: 'document' } });
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    const sorted = [...delays].sort((a, b) => a - b);
    const missing = STREAMS * COMMENTS - delays.length;
    console.log(
      `\nA comment reaching ${STREAMS} open live channels (${COMMENTS} comments, ${delays.length} deliveries)`,
    );
    console.log('p50 ms    p95 ms    p99 ms    max ms    not delivered');
    console.log(
      [percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted.at(-1)!]
        .map((value) => value.toFixed(1).padEnd(10))
        .join('') + String(missing),
    );
    console.log(`(the first comment after start, not counted: ${warmUp.toFixed(1)} ms to the last channel)`);
    console.log(`target: p99 under 100 ms: ${percentile(sorted, 99) < 100 && missing === 0 ? 'met' : 'missed'}`);
  } finally {
    for (const close of closers) close();
    await child.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
