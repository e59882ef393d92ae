import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, loadEnv } from 'vite';

// SvelteKit 3 reads its configuration only from the Vite plugin; a svelte.config.js would abort
// the build with `config_file_unsupported`.
export default defineConfig(({ mode }) => {
  // Where `vite dev` finds apps/server; the production build talks to its own origin only.
  const apiOrigin = loadEnv(mode, '.', 'NORDRAUM_').NORDRAUM_API_ORIGIN ?? 'http://127.0.0.1:3000';

  return {
    plugins: [
      sveltekit({
        // `build/handler.js` is mounted by apps/server, which owns /api, /sync and the probes.
        adapter: adapter({ out: 'build' }),
        compilerOptions: {
          // Runes everywhere in our code; dependencies keep whatever mode they were written in.
          runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true),
        },
        csp: {
          // Hashes cover the inline bootstrap script of the client-rendered shell, so scripts can
          // stay locked to 'self'. KERN's icons are CSS masks with data: URLs (img-src).
          mode: 'hash',
          directives: {
            'default-src': ['self'],
            'script-src': ['self'],
            'style-src': ['self', 'unsafe-inline'],
            'img-src': ['self', 'data:'],
            'font-src': ['self'],
            'connect-src': ['self'],
            'object-src': ['none'],
            'base-uri': ['self'],
            'form-action': ['self'],
            'frame-ancestors': ['none'],
          },
        },
        // Registered by the app once the first page has settled (lib/offline/service-worker.ts).
        serviceWorker: { register: false },
        version: {
          // The server serves a single build; polling for new versions would only cause traffic.
          pollInterval: 0,
        },
      }),
    ],
    server: {
      // During `vite dev` the API lives on the Node server; forward everything it owns.
      proxy: {
        '/api': apiOrigin,
        '/sync': { target: apiOrigin, ws: true },
        '/healthz': apiOrigin,
        '/readyz': apiOrigin,
      },
    },
  };
});
