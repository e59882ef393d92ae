import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentEntries, docOf, exportHeading, type NotesBlock, readNotesTree, writeNotesTree } from '@nordraum/domain';
import { threadSchedule } from '@nordraum/sync/thread-priority';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sampleProtocol } from '../../../../packages/domain/src/export/sample-protocol.ts';
import { chrtAvailable } from '../../../../tests/helpers/process.ts';
import { importNotesFile } from '../import/notes-file.ts';
import { exportNotes } from './notes-export.ts';
import { createRenderPool, renderProcessArgv } from './render-pool.ts';

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
const bodies = mkdtempSync(join(tmpdir(), 'render-pool-test-'));
let bodyFiles = 0;
afterAll(() => rmSync(bodies, { recursive: true, force: true }));
/** A file holding `bytes`, as http/request-body.ts writes an upload's body. */
async function bodyFileOf(bytes: Uint8Array): Promise<string> {
  const path = join(bodies, String(bodyFiles++));
  await writeFile(path, bytes);
  return path;
}
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

describe('the export render pool', () => {
  it('renders the same file as in process, while the event loop stays free', async () => {
    await pool.render({ type: 'notes', format: 'md', state: sampleState, heading }); // the process starts
    const inProcess = await longestStall(() => exportNotes('pdf', long, heading));
    let pdf: Uint8Array = new Uint8Array();
    const inChild = await longestStall(async () => {
      pdf = await pool.render({ type: 'notes', format: 'pdf', state: longState, heading });
    });
    expect(new TextDecoder().decode(pdf.subarray(0, 8))).toBe('%PDF-1.7');
    expect(inChild).toBeLessThan(inProcess / 2);
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

  /** A multipart upload as the route hands it on: its content type and the file its body was written to. */
  async function upload(fields: Record<string, string>, file: { name: string; bytes: Uint8Array }) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set('file', new Blob([file.bytes.slice()]), file.name);
    const request = new Request('http://upload.invalid/', { method: 'POST', body: form });
    return {
      type: 'read-form',
      contentType: request.headers.get('content-type')!,
      bodyFile: await bodyFileOf(new Uint8Array(await request.arrayBuffer())),
    } as const;
  }

  it('reads an uploaded DOCX in the render process into the same notes document as in process', async () => {
    const docx = await exportNotes('docx', sampleProtocol(), heading);
    const job = { type: 'import-notes', extension: 'docx', fileName: 'Protokoll.docx', title: undefined } as const;
    const expected = await importNotesFile({ ...job, bytes: docx.slice() });
    const sent = await upload({}, { name: 'Protokoll.docx', bytes: docx });
    const read = await pool.readForm({ ...sent, purpose: 'import' });
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

  it('reads uploads queued at once each from its own body', async () => {
    const csv = (title: string) => new TextEncoder().encode(`Titel\n${title}\n`.padEnd(200_000, ' '));
    const sent = await Promise.all(
      ['erste', 'zweite', 'dritte'].map((title) => upload({ title }, { name: `${title}.csv`, bytes: csv(title) })),
    );
    const read = await Promise.all(sent.map((job) => pool.readForm({ ...job, purpose: 'rows' })));
    expect(read.map((form) => (form.readable ? [form.fields.title, form.file?.name] : null))).toEqual([
      ['erste', 'erste.csv'],
      ['zweite', 'zweite.csv'],
      ['dritte', 'dritte.csv'],
    ]);
  });

  it('answers that a damaged file is unreadable', async () => {
    const sent = await upload({}, { name: 'kaputt.docx', bytes: new Uint8Array([80, 75, 3, 4, 1, 2]) });
    const read = await pool.readForm({ ...sent, purpose: 'import' });
    expect(read).toMatchObject({ readable: true, content: { type: 'notes', notes: { readable: false } } });
  });

  it("reads an upload's fields and a spreadsheet's rows in the render process, for an import or a preview", async () => {
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
      bodyFile: await bodyFileOf(new TextEncoder().encode('no parts here')),
    };
    expect(await pool.readForm({ ...broken, purpose: 'import' })).toEqual({ readable: false });
  });

  it('exports a live document on its copy in the render process: the whole state once, then only the edits', async () => {
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

  it("sends after an edit only the edit, not the document's delete set, and the file still shows every deletion", async () => {
    const protocol = new Y.Doc();
    writeNotesTree(protocol, sampleProtocol());
    const fragment = protocol.getXmlFragment('default');
    // Deletions scattered over the document: its delete set has a range for each.
    for (let index = fragment.length - 1; index > 0; index -= 2) fragment.delete(index, 1);
    const sent: Uint8Array[] = [];
    const markdownOf = async () => {
      const bytes = await pool.renderLive({
        documentId: 'verstreut',
        doc: protocol,
        key: 'verstreut:md',
        wholeState: async () => Y.encodeStateAsUpdate(protocol),
        job: (state, copy) => {
          sent.push(state);
          return { type: 'notes', format: 'md', state, heading, copy };
        },
      });
      expect(new TextDecoder().decode(bytes)).toBe(
        new TextDecoder().decode(await exportNotes('md', readNotesTree(protocol), heading)),
      );
    };
    await markdownOf();
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Nachtrag')]);
    fragment.insert(fragment.length, [paragraph]);
    await markdownOf();
    expect(sent).toHaveLength(2);
    expect(Y.decodeUpdate(sent[1]!).ds.clients.size).toBe(0);
    expect(sent[1]!.byteLength).toBeLessThan(100);
    fragment.delete(0, 1);
    await markdownOf();
    expect(Y.decodeUpdate(sent[2]!).ds.clients.size).toBe(1);
  });

  /** Without `chrt` the render process has only its nice value. */
  const chrt = chrtAvailable();

  /** Every thread of process `pid`: its name, policy (5 SCHED_IDLE, 0 the normal one) and nice value. */
  const threadsOf = (pid: number) =>
    readdirSync(`/proc/${pid}/task`).map((task) => ({
      name: readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim(),
      ...threadSchedule(`/proc/${pid}/task/${task}/stat`),
    }));
  // Never above this process's own nice value (a test run under `nice -n 15` has 15).
  const nice = (asked: number) => Math.max(asked, threadSchedule('/proc/thread-self/stat').nice);

  it.runIf(process.platform === 'linux')(
    "runs every thread of its render process, V8's platform threads included, at nice 10 by default, and none of this process's",
    async () => {
      const own = threadsOf(process.pid);
      await pool.render({ type: 'notes', format: 'pdf', state: sampleState, heading });
      const [pid] = pool.processIds();
      expect(pool.priorities()).toEqual([expect.objectContaining({ applied: 'nice', niceness: nice(10) })]);
      const threads = threadsOf(pid!);
      expect(threads.some((thread) => thread.name === 'V8Worker')).toBe(true);
      for (const thread of threads) expect(thread).toMatchObject({ policy: 0, nice: nice(10) });
      // The threads of the process that asked for the export keep their scheduling.
      for (const thread of threadsOf(process.pid)) {
        const before = own.find((other) => other.name === thread.name);
        if (before) expect(thread).toMatchObject({ policy: before.policy, nice: before.nice });
      }
    },
  );

  it.runIf(process.platform === 'linux')(
    'runs its render process under SCHED_IDLE when asked (nice 10 where chrt is missing), or at the nice value it is given',
    async () => {
      const idle = createRenderPool({ size: 1, priority: { scheduling: 'idle', niceness: 10 } });
      try {
        await idle.render({ type: 'notes', format: 'md', state: sampleState, heading });
        expect(idle.priorities()).toEqual([
          expect.objectContaining({ applied: chrt ? 'idle' : 'nice', niceness: nice(10) }),
        ]);
        for (const thread of threadsOf(idle.processIds()[0]!))
          expect(thread).toMatchObject({ policy: chrt ? 5 : 0, nice: nice(10) });
      } finally {
        await idle.close();
      }
      const niced = createRenderPool({ size: 1, priority: { scheduling: 'nice', niceness: 17 } });
      try {
        await niced.render({ type: 'notes', format: 'md', state: sampleState, heading });
        expect(niced.priorities()).toEqual([expect.objectContaining({ applied: 'nice', niceness: 17 })]);
        for (const thread of threadsOf(niced.processIds()[0]!)) expect(thread).toMatchObject({ policy: 0, nice: 17 });
      } finally {
        await niced.close();
      }
    },
  );
});

describe('the render process', () => {
  const markdown = { type: 'notes', format: 'md', state: sampleState, heading } as const;
  /** Whether process `pid` still runs (a zombie waiting for its parent to reap it does not). */
  const running = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  };

  it('starts on the first job, ends after its idle time, and the next job starts another', async () => {
    const idling = createRenderPool({ idleMs: 100 });
    try {
      expect(idling.processIds()).toEqual([]);
      await idling.render(markdown);
      const [first] = idling.processIds();
      expect(first).toBeGreaterThan(0);
      await expect.poll(() => idling.processIds()).toEqual([]);
      await expect.poll(() => running(first!)).toBe(false);
      expect((await idling.render(markdown)).byteLength).toBeGreaterThan(0);
      expect(idling.processIds()).toEqual([expect.any(Number)]);
      expect(idling.processIds()).not.toEqual([first]);
    } finally {
      await idling.close();
    }
  });

  it('fails the job of a render process that is killed, and the next job starts a new one', async () => {
    const killed = createRenderPool();
    try {
      await killed.render(markdown);
      const [first] = killed.processIds();
      const pdf = killed.render({ type: 'notes', format: 'pdf', state: longState, heading });
      process.kill(first!, 'SIGKILL');
      await expect(pdf).rejects.toThrow(/exited with SIGKILL/);
      expect((await killed.render(markdown)).byteLength).toBeGreaterThan(0);
      expect(killed.processIds()).not.toEqual([first]);
    } finally {
      await killed.close();
    }
  });

  it('kills a render process whose job takes longer than the timeout, and fails the job', async () => {
    const slow = createRenderPool({ timeoutMs: 1 });
    try {
      await expect(slow.render({ type: 'notes', format: 'pdf', state: longState, heading })).rejects.toThrow(
        /exited with SIGKILL/,
      );
      expect(slow.processIds()).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it("is given the server's Node options without the size flags, a script of its own, or a debugger port", () => {
    const server = ['--optimize-for-size', '--max-semi-space-size=4', '--conditions=development', '--inspect=9229'];
    expect(renderProcessArgv([...server, '--input-type=module', '-e', 'start()'], 512)).toEqual([
      '--conditions=development',
      '--max-old-space-size=512',
    ]);
    expect(renderProcessArgv(['--max-semi-space-size', '4', '--max-old-space-size=256'], 512)).toEqual([
      '--max-old-space-size=512',
    ]);
  });

  /**
   * Starts a server-like parent, with the server's V8 flags and a secret in its environment,
   * that renders one export and prints its render process's id; then it ends (`then: 'end'`)
   * or waits to be killed.
   */
  function startParent(then: 'end' | 'wait') {
    const poolUrl = new URL('./render-pool.ts', import.meta.url).href;
    const script = `
      const { readFileSync } = await import('node:fs');
      const { createRenderPool } = await import(${JSON.stringify(poolUrl)});
      const pool = createRenderPool();
      await pool.render({ type: 'xlsx', table: { header: ['A'], rows: [['1']] }, sheetName: 'A', title: 'A' });
      const [pid] = pool.processIds();
      // Read here: once this parent ends, so does its render process.
      const argv = readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0');
      const environ = readFileSync('/proc/' + pid + '/environ', 'utf8').split('\\0');
      console.log(JSON.stringify({ pid, argv, environ }));
      ${then === 'wait' ? 'setInterval(() => {}, 60_000);' : ''}`;
    const parent = spawn(
      process.execPath,
      ['--optimize-for-size', '--max-semi-space-size=4', '--input-type=module', '-e', script],
      { env: { ...process.env, DATABASE_URL: 'postgres://secret@db/nordraum' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const child = new Promise<{ pid: number; argv: string[]; environ: string[] }>((resolve, reject) => {
      let output = '';
      parent.stdout.on('data', (data: Buffer) => {
        output += data.toString();
        if (output.endsWith('\n')) resolve(JSON.parse(output));
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited with ${code} before it rendered`)));
    });
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    return { parent, child, exited };
  }

  it.runIf(process.platform === 'linux')(
    "starts without the server's size flags and secrets, and does not keep the server alive while idle",
    async () => {
      const { child, exited } = startParent('end');
      const { pid, argv, environ } = await child;
      expect(argv).toContain('--max-old-space-size=1024');
      expect(argv.filter((argument) => /optimize-for-size|semi-space/.test(argument))).toEqual([]);
      expect(environ.some((variable) => variable.startsWith('PATH='))).toBe(true);
      expect(environ.filter((variable) => variable.startsWith('DATABASE_URL='))).toEqual([]);
      // The parent ends by itself with its render process idle, and the render process with it.
      await exited;
      await expect.poll(() => running(pid)).toBe(false);
    },
  );

  it.runIf(process.platform === 'linux')('ends when the server is killed', async () => {
    const { parent, child, exited } = startParent('wait');
    const { pid } = await child;
    expect(running(pid)).toBe(true);
    parent.kill('SIGKILL');
    await exited;
    await expect.poll(() => running(pid)).toBe(false);
  });
});
