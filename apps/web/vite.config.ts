import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, loadEnv } from 'vite';

// The rich-text editor's libraries, SvelteKit's own runtime (its entry must stay a chunk of its
// own) and our notes editor stay out of the shared chunks below.
const notShared =
  /@sveltejs[\\/]kit|@tiptap|prosemirror|orderedmap|rope-sequence|w3c-keyname|linkifyjs|@floating-ui|markdown-it/;
const editorCode = /NotesEditor|create-editor|EditorToolbar|LinkDialog/;
const libDir = fileURLToPath(new URL('./src/lib/', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));
// What only document pages (and "my actions") use: Yjs and its protocols, our views of documents.
const collabFolders = ['editor', 'roadmap', 'actions'].map((folder) => join(libDir, folder, sep));
const collabLibraries = /node_modules[\\/](yjs|lib0|y-websocket|y-protocols|y-indexeddb)[\\/]/;
const collabCode = (id: string) =>
  collabLibraries.test(id) || id.startsWith(packagesDir) || collabFolders.some((folder) => id.startsWith(folder));

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
        // The small stylesheets of the app go into the page itself, KERN's (330 KB) stays a file.
        inlineStyleThreshold: 30_000,
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
    environments: {
      client: {
        build: {
          rolldownOptions: {
            output: {
              // A browser opens at most six connections to our origin. Split by default, a document
              // page asked for 22 scripts and 12 more for its view, in waves of six: on a first
              // visit that cost a roadmap about 150 ms before anything ran. Now the libraries, our
              // own code, and what only document pages need are one file each, beside the small
              // files of the entry and the route. TipTap stays apart: only notes load it. A group
              // also takes what its modules import: the higher priorities claim the libraries and
              // the app's code first, or the document code would carry Svelte into every page.
              codeSplitting: {
                groups: [
                  {
                    name: 'collab',
                    test: (id: string) => collabCode(id) && !editorCode.test(id),
                    priority: 1,
                  },
                  {
                    name: 'vendor',
                    test: (id: string) => /node_modules/.test(id) && !notShared.test(id) && !collabCode(id),
                    priority: 3,
                  },
                  {
                    name: 'app',
                    test: (id: string) => id.startsWith(libDir) && !collabCode(id),
                    priority: 2,
                  },
                ],
              },
              // Grouped modules still run in the order they are imported, as SvelteKit's runtime
              // expects (without this, the app did not start).
              strictExecutionOrder: true,
            },
          },
        },
      },
    },
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
