/**
 * Development: the server restarts on changes (node --watch) and the web app is served by Vite
 * with hot reload at http://localhost:5173, which forwards /api and /sync to the server.
 */
import { spawn } from 'node:child_process';

const webOrigin = 'http://localhost:5173';
const children = [
  spawn(process.execPath, ['--watch', 'apps/server/src/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, PUBLIC_ORIGIN: process.env.PUBLIC_ORIGIN ?? webOrigin },
  }),
  spawn('npm', ['run', 'dev', '--workspace', '@nordraum/web', '--', '--port', '5173', '--strictPort'], {
    stdio: 'inherit',
    env: { ...process.env, NORDRAUM_API_ORIGIN: `http://127.0.0.1:${process.env.PORT ?? 3000}` },
  }),
];
console.log(`Nordraum (development): open ${webOrigin}`);
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', stop);
