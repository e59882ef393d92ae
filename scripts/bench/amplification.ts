/**
 * Issue 18's amplification attack, measured: a viewer sends thousands of sync requests for a
 * large document in one burst on one socket, and one every 100 ms on another, and reads neither.
 * Prints the server's peak resident memory and the /healthz latency meanwhile (and without the
 * attack, for comparison). The server runs as operators run it (the bundle, embedded PostgreSQL).
 *
 *   npm run bench:amplification -- [--megabytes 3] [--frames 5000] [--seconds 10] [--kill-above-mib 2048]
 *
 * (issue 18's two cases: `--megabytes 0.3 --frames 2000` and `--megabytes 7`). A server that grows
 * by more than --kill-above-mib is killed (the figure then says so, and when). A /healthz probe
 * without an answer within 30 s, or after the kill, counts as failed; p50, p90 and max are of the
 * answered ones.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startNordraumProcess } from '../../tests/helpers/process.ts';
import { amplificationAttack, largeDocumentWithViewer } from '../../tests/helpers/sync.ts';

const { values } = parseArgs({
  options: {
    megabytes: { type: 'string', default: '3' },
    frames: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '10' },
    'kill-above-mib': { type: 'string', default: '2048' },
  },
});
const admin = { email: 'bench@nordraum.example', password: 'benchmark password' };
const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-amplification-'));
const server = await startNordraumProcess({
  DATA_DIR: dataDir,
  NORDRAUM_ADMIN_EMAIL: admin.email,
  NORDRAUM_ADMIN_PASSWORD: admin.password,
});
try {
  const { documentId, viewer, size } = await largeDocumentWithViewer(server.url, admin, Number(values.megabytes));
  // The document is loaded, as when someone has it open, before the attack starts.
  await viewer.request('GET', `/api/documents/${documentId}/state`);
  const figures = await amplificationAttack({
    target: { url: server.url, origin: server.url, cookie: viewer.cookie },
    documentId,
    pid: server.child.pid!,
    frames: Number(values.frames),
    durationMs: Number(values.seconds) * 1000,
    killAboveMiB: Number(values['kill-above-mib']),
  });
  const ms = (value: number) => `${Math.round(value)} ms`;
  const rows: [string, string][] = [
    ['document', `${(size / 1e6).toFixed(1)} MB`],
    ['frames in the burst', values.frames!],
    ['server memory before', `${Math.round(figures.baselineRssMiB)} MiB`],
    [
      'server memory peak',
      `${Math.round(figures.peakRssMiB)} MiB${figures.killed ? ` (killed at the bound, ${ms(figures.killedAfterMs!)} into the burst)` : ''}`,
    ],
    [
      '/healthz p50 / p90 / max under attack',
      `${ms(figures.healthzP50Ms)} / ${ms(figures.healthzP90Ms)} / ${ms(figures.healthzMaxMs)}`,
    ],
    [
      '/healthz p50 / p90 / max without',
      `${ms(figures.quietP50Ms)} / ${ms(figures.quietP90Ms)} / ${ms(figures.quietMaxMs)}`,
    ],
    ['/healthz answered / failed', `${figures.healthzCount - figures.healthzFailures} / ${figures.healthzFailures}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
} finally {
  // A stalled server would take minutes to stop by itself: kill it, and stop its PostgreSQL, which
  // it then leaves behind, ourselves (SIGINT: PostgreSQL's fast shutdown).
  await server.stop('SIGKILL');
  const postmaster = await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(postmaster.split('\n')[0]);
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGINT');
      while (process.kill(pid, 0)) await new Promise((done) => setTimeout(done, 100));
    } catch {
      // Gone.
    }
  }
  await rm(dataDir, { recursive: true, force: true });
}
