import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { contentEntries, docOf, exportHeading, type NotesBlock, readNotesTree, writeNotesTree } from '@nordraum/domain';
import { threadSchedule } from '@nordraum/sync/thread-priority';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sampleProtocol } from '../../../../packages/domain/src/export/sample-protocol.ts';
import { importNotesFile } from '../import/notes-file.ts';
import { exportNotes } from './notes-export.ts';
import { createRenderPool } from './render-pool.ts';

const heading = exportHeading({ title: 'Workshop-Protokoll', roomName: 'AG Register', now: new Date() });
/** Some 25 pages: long enough that rendering it in process holds the event loop for a while. */
const long: NotesBlock[] = Array.from({ length: 36 }, () => sampleProtocol()).flat();
/** A protocol's Yjs state, as the export route hands it over. */
function stateOf(blocks: NotesBlock[]): Uint8Array {
  const doc = new Y.Doc();
  writeNotesTree(doc, blocks);
  return Y.encodeStateAsUpdate(doc);
}
const longState = stateOf(long);
const sampleState = stateOf(sampleProtocol());
const pool = createRenderPool({ size: 1, maxQueue: 2 });
afterAll(() => pool.close());

/** The longest gap between 5 ms timer ticks while `work` ran (and the tick after it), in milliseconds. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    clearInterval(ticker);
  }
  return longest;
}

describe('the export worker pool', () => {
  it('renders the same file as in process, while the event loop stays free', async () => {
    await pool.render({ type: 'notes', format: 'md', state: sampleState, heading }); // the worker starts
    const inProcess = await longestStall(() => exportNotes('pdf', long, heading));
    let pdf: Uint8Array = new Uint8Array();
    const inWorker = await longestStall(async () => {
      pdf = await pool.render({ type: 'notes', format: 'pdf', state: longState, heading });
    });
    expect(new TextDecoder().decode(pdf.subarray(0, 8))).toBe('%PDF-1.7');
    expect(inWorker).toBeLessThan(inProcess / 2);
    const markdown = await pool.render({ type: 'notes', format: 'md', state: sampleState, heading });
    expect(markdown).toEqual(await exportNotes('md', sampleProtocol(), heading));
  });

  it('refuses jobs beyond its queue with 429 and still finishes the accepted ones', async () => {
    const job = { type: 'notes', format: 'odt', state: longState, heading } as const;
    const accepted = [pool.render(job), pool.render(job), pool.render(job)];
    expect(() => pool.render(job)).toThrow(expect.objectContaining({ code: 'rate_limited' }));
    for (const bytes of await Promise.all(accepted)) expect(bytes.byteLength).toBeGreaterThan(1000);
  });

  it('fails a job whose rendering throws, and renders the next one', async () => {
    const broken = { type: 'notes', format: 'pdf', state: new Uint8Array([255, 255, 255]), heading } as const;
    await expect(pool.render(broken)).rejects.toThrow(/export failed/);
    expect(
      (await pool.render({ type: 'notes', format: 'md', state: stateOf([]), heading })).byteLength,
    ).toBeGreaterThan(0);
  });

  /** A multipart upload as it arrives: its content type and its body in chunks of `chunkBytes`. */
  async function upload(
    fields: Record<string, string>,
    file: { name: string; bytes: Uint8Array },
    chunkBytes = 65_536,
  ) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set('file', new Blob([file.bytes.slice()]), file.name);
    const request = new Request('http://upload.invalid/', { method: 'POST', body: form });
    const whole = new Uint8Array(await request.arrayBuffer());
    const body: Uint8Array[] = [];
    for (let start = 0; start < whole.byteLength; start += chunkBytes)
      body.push(whole.slice(start, start + chunkBytes));
    return { type: 'read-form', contentType: request.headers.get('content-type')!, body } as const;
  }

  it('reads an uploaded DOCX into the same notes document as in process, the body moved to the worker', async () => {
    const docx = await exportNotes('docx', sampleProtocol(), heading);
    const job = { type: 'import-notes', extension: 'docx', fileName: 'Protokoll.docx', title: undefined } as const;
    const expected = await importNotesFile({ ...job, bytes: docx.slice() });
    const sent = await upload({}, { name: 'Protokoll.docx', bytes: docx }, 4096);
    expect(sent.body.length).toBeGreaterThan(1);
    const read = await pool.readForm({ ...sent, purpose: 'import' });
    for (const chunk of sent.body) expect(chunk.byteLength).toBe(0); // transferred, not copied
    if (!read.readable || read.content.type !== 'notes') throw new Error('the upload did not read');
    expect(read.file).toEqual({ name: 'Protokoll.docx', size: docx.byteLength });
    const imported = read.content.notes;
    if (!imported.readable || !expected.readable) throw new Error('the DOCX did not read');
    // Updates differ in their random client ids: compare what they hold.
    const notes = (update: Uint8Array) => readNotesTree(docOf(update));
    expect(notes(imported.update)).toEqual(notes(expected.update));
    expect(notes(imported.update).length).toBeGreaterThan(5);
    // The search index's items are read from the same document (their ids name its items).
    expect(imported.searchEntries).toEqual(contentEntries('notes', docOf(imported.update), () => null));
    expect(imported.searchEntries.map(({ body }) => body).join('\n')).toContain('Einladung verschickt');
    const rest = (result: typeof imported) => ({ ...result, update: null, searchEntries: null });
    expect(rest(imported)).toEqual(rest(expected));
  });

  it('answers that a damaged file is unreadable', async () => {
    const sent = await upload({}, { name: 'kaputt.docx', bytes: new Uint8Array([80, 75, 3, 4, 1, 2]) });
    const read = await pool.readForm({ ...sent, purpose: 'import' });
    expect(read).toMatchObject({ readable: true, content: { type: 'notes', notes: { readable: false } } });
  });

  it("reads an upload's fields and a spreadsheet's rows in the worker, for an import or a preview", async () => {
    const csv = new TextEncoder().encode('Titel;Fällig\nBericht „Küste“;2027-01-31\n');
    for (const purpose of ['import', 'rows'] as const) {
      const read = await pool.readForm({
        ...(await upload({ title: 'Maßnahmen' }, { name: 'liste.csv', bytes: csv })),
        purpose,
      });
      expect(read).toEqual({
        readable: true,
        fields: { title: 'Maßnahmen' },
        file: { name: 'liste.csv', size: csv.byteLength },
        content: {
          type: 'rows',
          rows: [
            { line: 1, cells: ['Titel', 'Fällig'] },
            { line: 2, cells: ['Bericht „Küste“', '2027-01-31'] },
          ],
        },
      });
    }
    // A DOCX sent for notes is not read as rows, nor a CSV as notes, nor a file of another type.
    const docx = await upload({ kind: 'actions' }, { name: 'Protokoll.docx', bytes: new Uint8Array([1]) });
    expect(await pool.readForm({ ...docx, purpose: 'import' })).toMatchObject({ content: { type: 'none' } });
    const csvAsNotes = await upload({ kind: 'notes' }, { name: 'liste.csv', bytes: csv });
    expect(await pool.readForm({ ...csvAsNotes, purpose: 'import' })).toMatchObject({ content: { type: 'none' } });
    const broken = {
      type: 'read-form' as const,
      contentType: docx.contentType,
      body: [new TextEncoder().encode('no parts here')],
    };
    expect(await pool.readForm({ ...broken, purpose: 'import' })).toEqual({ readable: false });
  });

  it('exports a live document on its copy in the worker: the whole state once, then only the edits', async () => {
    const copying = createRenderPool({ size: 1, copies: { documents: 1, bytes: 32 * 1024 * 1024 } });
    try {
      const live = (blocks: NotesBlock[]) => {
        const doc = new Y.Doc();
        writeNotesTree(doc, blocks);
        return doc;
      };
      const protocol = live(sampleProtocol());
      let wholeStates = 0;
      const markdownOf = async (doc: Y.Doc, documentId = 'protokoll') => {
        const bytes = await copying.renderLive({
          documentId,
          doc,
          key: `${documentId}:md`,
          wholeState: async () => {
            wholeStates += 1;
            return Y.encodeStateAsUpdate(doc);
          },
          job: (state, copy) => ({ type: 'notes', format: 'md', state, heading, copy }),
        });
        expect(new TextDecoder().decode(bytes)).toBe(
          new TextDecoder().decode(await exportNotes('md', readNotesTree(doc), heading)),
        );
        return bytes;
      };
      const first = await markdownOf(protocol);
      expect(wholeStates).toBe(1);
      expect(await markdownOf(protocol)).toBe(first); // unchanged: the file kept, no job
      const fragment = protocol.getXmlFragment('default');
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Nachtrag: Übergabe an die Staatskanzlei')]);
      fragment.insert(fragment.length, [paragraph]);
      await markdownOf(protocol);
      fragment.delete(0, 3);
      await markdownOf(protocol);
      expect(wholeStates).toBe(1);
      // Another document takes the only copy's place: the protocol's next export is sent whole again.
      await markdownOf(live([{ type: 'paragraph', runs: [{ text: 'Andere Notiz' }] }]), 'andere');
      expect(wholeStates).toBe(2);
      fragment.delete(0, 1);
      await markdownOf(protocol);
      expect(wholeStates).toBe(3);
    } finally {
      await copying.close();
    }
  });

  /** `chrt` of util-linux, which sets SCHED_IDLE; absent, the worker has only its nice value. */
  const chrt = (() => {
    try {
      execFileSync('chrt', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.runIf(process.platform === 'linux')(
    'runs its worker at nice 10 by default, under SCHED_IDLE when asked (nice 10 where chrt is missing), or at the nice value it is given',
    async () => {
      await pool.render({ type: 'notes', format: 'md', state: sampleState, heading });
      // Never above this process's own nice value (a test run under `nice -n 15` has 15).
      const own = threadSchedule('/proc/thread-self/stat');
      const nice = (asked: number) => Math.max(asked, own.nice);
      const [started] = pool.priorities();
      expect(started).toMatchObject({ applied: 'nice', niceness: nice(10) });
      // The kernel's view of that thread of this process: policy 5 is SCHED_IDLE, 0 the normal one.
      expect(threadSchedule(`/proc/${process.pid}/task/${started!.threadId}/stat`)).toEqual({
        policy: 0,
        nice: nice(10),
      });

      const idle = createRenderPool({ size: 1, priority: { scheduling: 'idle', niceness: 10 } });
      try {
        await idle.render({ type: 'notes', format: 'md', state: sampleState, heading });
        const [worker] = idle.priorities();
        expect(worker).toMatchObject({ applied: chrt ? 'idle' : 'nice', niceness: nice(10) });
        expect(threadSchedule(`/proc/${process.pid}/task/${worker!.threadId}/stat`)).toEqual({
          policy: chrt ? 5 : 0,
          nice: nice(10),
        });
        if (chrt) expect(execFileSync('chrt', ['-p', String(worker!.threadId)]).toString()).toMatch(/SCHED_IDLE/);
      } finally {
        await idle.close();
      }

      const niced = createRenderPool({ size: 1, priority: { scheduling: 'nice', niceness: 17 } });
      try {
        await niced.render({ type: 'notes', format: 'md', state: sampleState, heading });
        const [worker] = niced.priorities();
        expect(worker).toMatchObject({ applied: 'nice', niceness: 17 });
        expect(threadSchedule(`/proc/${process.pid}/task/${worker!.threadId}/stat`)).toEqual({ policy: 0, nice: 17 });
      } finally {
        await niced.close();
      }
      // Only the worker threads are lowered: this (the main) thread keeps its scheduling.
      expect(own.policy).toBe(0);
    },
  );

  it.runIf(process.platform === 'linux')(
    "lowers V8's platform threads, where its worker's garbage is collected, to the worker's nice value",
    async () => {
      const own = threadSchedule('/proc/thread-self/stat');
      const niced = createRenderPool({ size: 1, priority: { scheduling: 'nice', niceness: 18 } });
      try {
        await niced.render({ type: 'notes', format: 'md', state: sampleState, heading });
        const threads = readdirSync('/proc/self/task').map((task) => ({
          name: readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim(),
          ...threadSchedule(`/proc/self/task/${task}/stat`),
        }));
        const platform = threads.filter((thread) => thread.name === 'V8Worker');
        expect(platform.length).toBeGreaterThan(0);
        // Lowered by the nice value only: the main thread's collections wait for these threads too.
        for (const thread of platform) expect(thread).toMatchObject({ policy: 0, nice: 18 });
        expect(threadSchedule('/proc/thread-self/stat')).toEqual(own);
      } finally {
        await niced.close();
      }
    },
  );
});
