/**
 * Big documents: a protocol of about 5 MB as the web app's editor stores it (paragraphs of
 * XmlText in the fragment "default"), built from a long history (paragraphs inserted at random
 * places by twenty people, some deleted again, words typed into others), loaded from storage by
 * 20 editors who each type a character into a random paragraph with every counted edit.
 */
import * as Y from 'yjs';
import { runLoad } from '../load.ts';
import { percentile } from '../report.ts';
import type { Target } from '../target.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const paragraph = (i: number) =>
  `Absatz ${i}: Die Arbeitsgruppe bespricht die Maßnahmen des Handlungsfelds, die Meilensteine der Roadmap und die nächsten Schritte bis zum Lenkungskreis; Zuständigkeiten, Termine und offene Fragen werden festgehalten. Beschluss: Die Länder stimmen sich bis zur nächsten Sitzung ab. `;

/** A small deterministic random source, so that every server gets the same document. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const built = new Map<number, Uint8Array>();

/** The encoded state of a protocol of at least `bytes`, built once per size. */
export function bigProtocol(bytes: number): Uint8Array {
  const cached = built.get(bytes);
  if (cached) return cached;
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  const next = random(20);
  let state = Y.encodeStateAsUpdate(doc);
  for (let i = 0; state.length < bytes; i += 1) {
    doc.clientID = 1_000 + (i % 20);
    const length = fragment.length;
    const at = Math.floor(next() * length);
    if (i % 7 === 6 && length > 100) fragment.delete(at, 1);
    else if (i % 7 === 5 && length > 0) typeInto(fragment, at, 'ergänzt ');
    else {
      const element = new Y.XmlElement('paragraph');
      element.insert(0, [new Y.XmlText(paragraph(i))]);
      fragment.insert(at, [element]);
    }
    if (i % 1_000 === 999) state = Y.encodeStateAsUpdate(doc);
  }
  built.set(bytes, state);
  doc.destroy();
  return state;
}

/** Types `text` at a random place of paragraph `index`. */
function typeInto(fragment: Y.XmlFragment, index: number, text: string) {
  const element = fragment.get(Math.min(index, fragment.length - 1));
  const content = element instanceof Y.XmlElement ? element.get(0) : undefined;
  if (content instanceof Y.XmlText) content.insert(Math.floor(Math.random() * content.length), text);
}

/** Gives each document the protocol, waits until the server holds it, and lets it unload. */
async function seed(target: Target, names: string[], state: Uint8Array) {
  const length = (() => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return doc.getXmlFragment('default').length;
  })();
  for (const name of names) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const writer = target.client(name, doc);
    await writer.synced;
    // A second client sees the protocol only once the server has it (for Nordraum: committed).
    const probeDoc = new Y.Doc();
    const probe = target.client(name, probeDoc);
    const deadline = performance.now() + 120_000;
    const fragment = probeDoc.getXmlFragment('default');
    while (fragment.length < length && performance.now() < deadline) await sleep(50);
    if (fragment.length < length) throw new Error('the big protocol did not reach a second client');
    writer.destroy();
    probe.destroy();
    doc.destroy();
    probeDoc.destroy();
  }
  // Stored and unloaded (where the server unloads): the editors load it from storage.
  await sleep(target.unloadWaitMs + 2_000);
}

/** Types one character at a random place of the protocol. */
function typeIntoProtocol(doc: Y.Doc) {
  const fragment = doc.getXmlFragment('default');
  typeInto(fragment, Math.floor(Math.random() * fragment.length), 'x');
}

/** CPU per edit (server, and with its database) and p99 of `editors` typing into a big protocol. */
export async function bigDocument(target: Target, options: { bytes: number; editors: number; seconds: number }) {
  const state = bigProtocol(options.bytes);
  const load = await runLoad(target, {
    docs: 1,
    socketsPerDoc: options.editors,
    writersPerDoc: options.editors,
    rate: 2,
    seconds: options.seconds,
    prepare: (t, names) => seed(t, names, state),
    alongside: typeIntoProtocol,
    settle: false,
  });
  const perEdit = (cpu: number) => (cpu / Math.max(1, load.sent)) * 1e6;
  return {
    stateMiB: state.length / 1024 / 1024,
    cpuPerEditUs: perEdit(load.serverCpuSeconds),
    cpuWithDatabasePerEditUs: perEdit(load.serverCpuSeconds + (load.databaseCpuSeconds ?? 0)),
    p99: percentile(load.tally.latencies, 99),
    deliveredPercent: (100 * load.tally.delivered) / Math.max(1, load.expected),
    failedConnects: load.failedConnects,
  };
}
