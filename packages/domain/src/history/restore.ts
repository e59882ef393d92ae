import * as Y from 'yjs';
import type { DocumentKind } from '../roles.ts';
import { docOf } from './compare.ts';

/**
 * Restoring a version as new edits. The live document is never rewritten: a copy of it is changed
 * until its content equals the version's, and what that took is the update to commit, which every
 * client then receives like anyone's edit.
 *
 * Only what differs is touched, so edits made concurrently or offline elsewhere still merge: a
 * roadmap or action list is patched item by item and field by field (an offline edit to an action
 * the restore left alone survives); notes keep the blocks at the start and end that already agree
 * and replace only the blocks in between.
 */

/** The top-level maps of item maps, per kind of list document. */
const listMaps: Record<Exclude<DocumentKind, 'notes'>, string[]> = {
  roadmap: ['themes', 'milestones'],
  actions: ['items'],
};

/** The update that turns `live` into the content of `version`; null when they agree. Changes `live`'s copy only. */
export function restoreUpdate(kind: DocumentKind, live: Y.Doc, version: Uint8Array): Uint8Array | null {
  return patchCopy(kind, docOf(Y.encodeStateAsUpdate(live)), version);
}

/** {@link restoreUpdate} for a live state given as one update (e.g. merged from the stored log). */
export function restoreUpdateOfState(kind: DocumentKind, live: Uint8Array, version: Uint8Array): Uint8Array | null {
  return patchCopy(kind, docOf(live), version);
}

function patchCopy(kind: DocumentKind, copy: Y.Doc, version: Uint8Array): Uint8Array | null {
  const target = docOf(version);
  try {
    const before = Y.encodeStateVector(copy);
    let changed = false;
    // Yjs emits 'update' only for a transaction that changed something (deletions included).
    copy.on('update', () => {
      changed = true;
    });
    copy.transact(() => {
      if (kind === 'notes') patchFragment(copy.getXmlFragment('default'), target.getXmlFragment('default'));
      else for (const name of listMaps[kind]) patchItems(copy.getMap(name), target.getMap(name));
    });
    return changed ? Y.encodeStateAsUpdate(copy, before) : null;
  } finally {
    target.destroy();
    copy.destroy();
  }
}

/** Replaces the blocks between the common start and end of `live` by copies of `target`'s. */
function patchFragment(live: Y.XmlFragment, target: Y.XmlFragment) {
  const have = live.toArray();
  const want = target.toArray();
  const same = (a: unknown, b: unknown) => String(a) === String(b);
  let start = 0;
  while (start < have.length && start < want.length && same(have[start], want[start])) start += 1;
  let end = 0;
  while (
    end < have.length - start &&
    end < want.length - start &&
    same(have[have.length - 1 - end], want[want.length - 1 - end])
  )
    end += 1;
  const removed = have.length - start - end;
  if (removed > 0) live.delete(start, removed);
  const inserted = want.slice(start, want.length - end).map((node) => node.clone() as Y.XmlElement | Y.XmlText);
  if (inserted.length > 0) live.insert(start, inserted);
}

/** Makes a map of item maps equal to `target` by id: removes, adds, and patches fields. */
function patchItems(live: Y.Map<unknown>, target: Y.Map<unknown>) {
  for (const id of [...live.keys()]) if (!target.has(id)) live.delete(id);
  for (const [id, wanted] of target.entries()) {
    const current = live.get(id);
    if (wanted instanceof Y.Map && current instanceof Y.Map) patchFields(current, wanted);
    else if (!equalValues(current, wanted)) live.set(id, copyValue(wanted));
  }
}

/** Sets only the fields that differ; a text field is edited in place, keeping concurrent typing elsewhere in it. */
function patchFields(live: Y.Map<unknown>, target: Y.Map<unknown>) {
  for (const key of [...live.keys()]) if (!target.has(key)) live.delete(key);
  for (const [key, wanted] of target.entries()) {
    const current = live.get(key);
    if (equalValues(current, wanted)) continue;
    if (current instanceof Y.Text && (wanted instanceof Y.Text || typeof wanted === 'string'))
      patchText(current, String(wanted));
    else live.set(key, copyValue(wanted));
  }
}

/** Replaces only the middle of `text` that differs from `wanted`. */
function patchText(text: Y.Text, wanted: string) {
  const have = text.toString();
  let start = 0;
  while (start < have.length && start < wanted.length && have[start] === wanted[start]) start += 1;
  let end = 0;
  while (
    end < have.length - start &&
    end < wanted.length - start &&
    have[have.length - 1 - end] === wanted[wanted.length - 1 - end]
  )
    end += 1;
  if (have.length - start - end > 0) text.delete(start, have.length - start - end);
  if (wanted.length - start - end > 0) text.insert(start, wanted.slice(start, wanted.length - end));
}

function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value;
}

function equalValues(a: unknown, b: unknown): boolean {
  if (a instanceof Y.AbstractType !== b instanceof Y.AbstractType) return false;
  return JSON.stringify(plain(a)) === JSON.stringify(plain(b));
}

/** A value for a new place in the live document: shared types are copied, plain values kept. */
function copyValue(value: unknown): unknown {
  if (value instanceof Y.Map || value instanceof Y.Array || value instanceof Y.Text) return value.clone();
  if (value instanceof Y.XmlFragment || value instanceof Y.XmlElement || value instanceof Y.XmlText)
    return value.clone();
  return value;
}
