/**
 * Performance figures, printed as a table: `npm run bench`. Starts Nordraum as operators do
 * (`node apps/server/src/main.ts`) on a fresh embedded PostgreSQL and measures the time from
 * spawn to /readyz answering 200, on the first start (cluster created, migrations applied) and
 * on the following starts (data reused).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const restarts = 5;

async function timeToReady(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['apps/server/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      NORDRAUM_ADMIN_PASSWORD: 'benchmark password',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  let url: string | undefined;
  while (!url) {
    url = output.match(/"url":"(http:[^"]+)"/)?.[1];
    if (child.exitCode !== null) throw new Error(`Nordraum exited early:\n${output}`);
    await new Promise((done) => setTimeout(done, 5));
  }
  while (
    (await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    await new Promise((done) => setTimeout(done, 5));
  }
  const elapsed = performance.now() - started;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
  return elapsed;
}

const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-'));
try {
  const first = await timeToReady(dataDir);
  const later: number[] = [];
  for (let i = 0; i < restarts; i += 1) later.push(await timeToReady(dataDir));
  later.sort((a, b) => a - b);
  const rows = [
    ['start to /readyz 200, first start (new cluster)', `${first.toFixed(0)} ms`],
    [`start to /readyz 200, next starts (median of ${restarts})`, `${later[Math.floor(restarts / 2)]!.toFixed(0)} ms`],
    ['start to /readyz 200, next starts (worst)', `${later.at(-1)!.toFixed(0)} ms`],
  ];
  const width = Math.max(...rows.map(([name]) => name!.length));
  console.log('\nNordraum startup (embedded PostgreSQL)');
  for (const [name, value] of rows) console.log(`  ${name!.padEnd(width)}  ${value}`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
