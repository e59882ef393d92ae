import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import {
  blocksText,
  contentEntries,
  exportHeading,
  type NotesBlock,
  notesToMarkdown,
  readNotesTree,
  writeNotesTree,
} from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportNotes } from '../../apps/server/src/export/notes-export.ts';
import { sampleProtocol } from '../../packages/domain/src/export/sample-protocol.ts';
import { withPhotos } from '../../scripts/docx-bench-file.ts';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, untilCommitted } from '../helpers/sync.ts';

let app: TestApp;
let owner: ApiClient & { id: string };
let roomId: string;
let sourceId: string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  owner = await app.user('SH');
  roomId = (await owner.post('/api/rooms', { name: 'AG Import' })).json.room.id;
  sourceId = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Protokoll Größe' })).json
    .document.id;
  const client = connectClient({ url: app.url, origin: app.origin, cookie: owner.cookie }, sourceId);
  await client.synced();
  writeNotesTree(client.doc, sampleProtocol());
  await untilCommitted({ url: app.url, origin: app.origin, cookie: owner.cookie }, sourceId, client.doc);
  client.destroy();
});
afterAll(() => app.close());

async function upload(
  client: ApiClient,
  bytes: Uint8Array | string,
  name: string,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.append('file', new Blob([bytes as BlobPart]), name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  const response = await fetch(`${app.url}/api/rooms/${roomId}/imports`, {
    method: 'POST',
    headers: { cookie: client.cookie ?? '', origin: app.origin },
    body: form,
  });
  return { status: response.status, json: await response.json() };
}

async function blocksOf(documentId: string): Promise<NotesBlock[]> {
  const response = await fetch(`${app.url}/api/documents/${documentId}/state`, { headers: { cookie: owner.cookie! } });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
  return readNotesTree(doc);
}

/** The structure without the text: block types, heading levels, list kinds and states, table sizes. */
function shape(blocks: NotesBlock[]): unknown[] {
  return blocks.map((block) => {
    if (block.type === 'heading') return `h${block.level}`;
    if (block.type === 'list')
      return {
        list: block.kind,
        items: block.items.map((item) => ({ checked: item.checked, blocks: shape(item.blocks) })),
      };
    if (block.type === 'table') return { table: block.rows.map((row) => row.map((cell) => cell.header)) };
    return block.type;
  });
}

describe('importing a protocol', () => {
  for (const format of ['md', 'docx', 'odt']) {
    it(`reads back its own ${format.toUpperCase()} export with the same text and structure`, async () => {
      const exported = await fetch(`${app.url}/api/documents/${sourceId}/export?format=${format}`, {
        headers: { cookie: owner.cookie! },
      });
      const bytes = new Uint8Array(await exported.arrayBuffer());
      const imported = await upload(owner, bytes, `Protokoll.${format}`);
      expect(imported.status).toBe(201);
      // The file's title heading becomes the document's title.
      expect(imported.json.document).toMatchObject({ kind: 'notes', title: 'Protokoll Größe', roomId });
      const blocks = await blocksOf(imported.json.document.id);
      const expected = sampleProtocol();
      // The export's lines under the title (room, Stand) stay as paragraphs before the text.
      const body = blocks.slice(blocks.length - expected.length);
      expect(blocksText(body)).toEqual(blocksText(expected));
      expect(shape(body)).toEqual(shape(expected));
      const link = body[1]!.type === 'paragraph' ? body[1]!.runs.find((run) => run.href) : undefined;
      expect(link).toMatchObject({ text: 'Datenräume', href: 'https://example.org/datenraum?a=1&b=ä' });
      expect(body[1]!.type === 'paragraph' && body[1]!.runs.find((run) => run.bold)?.text).toBe('Schleswig-Holstein');
    });
  }

  it('takes a given title, and refuses wrong types, damaged files and outsiders without creating anything', async () => {
    const titled = await upload(owner, '# Kopf\n\nText mit **fett**', 'notiz.md', { title: 'Eigener Titel' });
    expect(titled.status).toBe(201);
    expect(titled.json.document.title).toBe('Eigener Titel');
    const before = (await owner.get(`/api/rooms/${roomId}/documents`)).json.documents.length;
    expect((await upload(owner, 'a;b', 'liste.csv', { kind: 'notes' })).status).toBe(415);
    expect((await upload(owner, 'GIF89a', 'bild.gif')).status).toBe(415);
    const damaged = await upload(owner, 'PK nonsense', 'kaputt.docx');
    expect(damaged.status).toBe(400);
    expect(damaged.json.error.message).toContain('nothing was imported');
    const outsider = await app.user('MV');
    expect((await upload(outsider, '# X', 'x.md')).status).toBe(404);
    expect((await owner.get(`/api/rooms/${roomId}/documents`)).json.documents.length).toBe(before);
  });

  it('makes every passage of a long protocol findable, as read from the document it created', async () => {
    // Over 32,000 characters of passages: the search entries are written in several statements.
    const long: NotesBlock[] = [];
    for (let part = 1; part <= 30; part++)
      long.push(...sampleProtocol(), {
        type: 'paragraph',
        runs: [{ text: `Abschnitt ${part}: ${'Die Länder prüfen die Übergabe der Register. '.repeat(20)}` }],
      });
    const heading = { title: 'Langes Protokoll', roomName: 'AG Import', lines: [], day: '2026-12-07' };
    const imported = await upload(owner, notesToMarkdown(long, heading), 'lang.md');
    expect(imported.status).toBe(201);
    const documentId = imported.json.document.id as string;
    const response = await fetch(`${app.url}/api/documents/${documentId}/state`, {
      headers: { cookie: owner.cookie! },
    });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
    const expected = contentEntries('notes', doc, () => null)
      .filter((entry) => entry.itemId !== null)
      .map((entry) => [entry.itemId, entry.body]);
    expect(expected.map(([, body]) => body!.length).reduce((sum, length) => sum + length, 0)).toBeGreaterThan(32_000);
    const stored = async () =>
      (
        await app.database.pool.query<{ item_id: string; body: string }>(
          'select item_id, body from search_entry where document_id = $1 and item_id is not null order by item_id',
          [documentId],
        )
      ).rows.map((row) => [row.item_id, row.body]);
    const deadline = Date.now() + 10_000;
    while ((await stored()).length < expected.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const byId = (rows: (string | null)[][]) => [...rows].sort(([a], [b]) => String(a).localeCompare(String(b)));
    expect(byId(await stored())).toEqual(byId(expected));
    expect((await owner.get('/api/search?q=Abschnitt%2030')).json.results.length).toBeGreaterThan(0);
  });

  it("imports a 5 MB DOCX while the server's thread holds no more than a few of its chunks at a time", async () => {
    const heading = exportHeading({ title: 'Fotoprotokoll', roomName: 'AG Import', now: new Date() });
    const docx = await withPhotos(await exportNotes('docx', sampleProtocol(), heading), 5 * 1024 * 1024);
    const form = new FormData();
    form.append('file', new Blob([docx.slice()]), 'Fotoprotokoll.docx');
    const encoded = new Request('http://upload.invalid/', { method: 'POST', body: form });
    const directory = await mkdtemp(join(tmpdir(), 'import-test-'));
    const bodyFile = join(directory, 'body');
    await writeFile(bodyFile, new Uint8Array(await encoded.arrayBuffer()));
    // The upload is sent by another process, so that only the server's buffers are in this one.
    const headers = { 'content-type': encoded.headers.get('content-type')!, cookie: owner.cookie!, origin: app.origin };
    const sender = `
      const body = require('node:fs').readFileSync(${JSON.stringify(bodyFile)});
      const request = require('node:http').request(${JSON.stringify(`${app.url}/api/rooms/${roomId}/imports`)},
        { method: 'POST', headers: { ...${JSON.stringify(headers)}, 'content-length': body.length } },
        (response) => { let text = ''; response.on('data', (c) => (text += c)).on('end', () => console.log(response.statusCode, text)); });
      for (let start = 0; start < body.length; start += 65536) request.write(body.subarray(start, start + 65536));
      request.end();`;
    // Buffer memory is what counts against the main heap's limit until a collection (request-body.ts).
    const external = () => getHeapStatistics().external_memory;
    const before = external();
    let most = before;
    const sampler = setInterval(() => (most = Math.max(most, external())), 1);
    try {
      const child = spawn(process.execPath, ['-e', sender], { stdio: ['ignore', 'pipe', 'inherit'] });
      let answer = '';
      child.stdout.on('data', (chunk) => (answer += chunk));
      await new Promise((resolve) => child.on('exit', resolve));
      expect(answer).toMatch(/^201 /);
      expect(JSON.parse(answer.slice(4)).document.title).toBe('Fotoprotokoll');
    } finally {
      clearInterval(sampler);
      await rm(directory, { recursive: true, force: true });
    }
    // Before, the whole body (5 MB) was held until it was complete.
    expect(most - before).toBeLessThan(1024 * 1024);
  });

  it('refuses a file over 20 MB with a clear message', async () => {
    const big = new Uint8Array(21 * 1024 * 1024).fill(0x61);
    const response = await upload(owner, big, 'gross.md');
    expect(response.status).toBe(413);
  });
});
