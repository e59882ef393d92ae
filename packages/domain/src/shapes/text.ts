import * as Y from 'yjs';

/**
 * Short text fields (titles, descriptions) are collaborative text: a `Y.Text` inside the item's
 * Y.Map, so two people typing in the same title both keep their words, as in the notes. Documents
 * from before hold plain strings there; readers take both forms, and the first edit converts the
 * field in place.
 *
 * The conversion is deterministic, so two clients converting the same field at once (both started
 * typing in an old title) make the same change and Yjs keeps it once: the new Y.Text is written
 * under a client id derived from the string's own Yjs id, at clock 0, with the same content and the
 * same origin. Two such updates are identical and merge as one; what each person types goes into
 * that one Y.Text. Derived ids lie above 2^32, where random Yjs client ids (uint32) never fall.
 */

/** The field's text, whichever form it is stored in; null when it is neither. */
export function readText(map: Y.Map<unknown>, key: string): string | null {
  const value = map.get(key);
  if (value instanceof Y.Text) return value.toString();
  return typeof value === 'string' ? value : null;
}

/** FNV-1a over a string, with a seed: 32 bits. */
function fnv(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A client id above 2^32 (up to 2^52) derived from the id of the item that is converted. */
function migrationClient(id: { client: number; clock: number }): number {
  const key = `${id.client}:${id.clock}`;
  return 2 ** 32 + (fnv(key, 0x811c9dc5) % 2 ** 20) * 2 ** 32 + fnv(key, 0x9747b28c);
}

/**
 * The collaborative text of a field of an item (`map`, if it is one), for an input bound to it:
 * converts an old plain string on the way (see {@link editableText}) in one transaction; with
 * `convert` false, null for an old string instead.
 */
export function itemText(doc: Y.Doc, map: unknown, key: string, convert: boolean): Y.Text | null {
  if (!(map instanceof Y.Map)) return null;
  const current = map.get(key);
  if (current instanceof Y.Text || !convert) return current instanceof Y.Text ? current : null;
  let text: Y.Text | null = null;
  doc.transact(() => {
    text = editableText(map as Y.Map<unknown>, key);
  });
  return text;
}

/**
 * The Y.Text of a field, for editing: a string is converted in place (see above), a missing or
 * unreadable value becomes an empty text. Call it when a person edits, not when a view opens:
 * a conversion is a change of the document.
 */
export function editableText(map: Y.Map<unknown>, key: string): Y.Text {
  const value = map.get(key);
  if (value instanceof Y.Text) return value;
  const doc = map.doc;
  // The Yjs item holding the current value: its id makes the conversion the same everywhere.
  const current = (map as unknown as { _map: Map<string, { id: { client: number; clock: number } }> })._map.get(key);
  const text = new Y.Text(typeof value === 'string' ? value : '');
  if (!doc || !current) {
    map.set(key, text);
    return text;
  }
  const derived = migrationClient(current.id);
  // Written under that id already would be this very conversion, and the value a Y.Text: only a
  // clash of derived ids gets here, and then the field is converted as any other write would.
  if (doc.store.clients.has(derived)) {
    map.set(key, text);
    return text;
  }
  const own = doc.clientID;
  doc.clientID = derived;
  try {
    doc.transact(() => map.set(key, text));
  } finally {
    doc.clientID = own;
  }
  return text;
}

/** The smallest change from `before` to `after`: where it starts, what goes, what comes. */
export function textChange(before: string, after: string): { index: number; remove: number; insert: string } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < shorter - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

/** Makes `text` read `next` with the smallest change (text around it, typed by others, stays). */
export function setText(text: Y.Text, next: string): void {
  const change = textChange(text.toString(), next);
  if (change.remove === 0 && change.insert === '') return;
  const apply = () => {
    if (change.remove > 0) text.delete(change.index, change.remove);
    if (change.insert) text.insert(change.index, change.insert);
  };
  if (text.doc) text.doc.transact(apply);
  else apply();
}

/**
 * Applies an edit made from `base` (what the person saw) to `text` as it is now, where others may
 * have changed it meanwhile: the part the person changed is found by its neighbours, through
 * `anchors` taken when they saw `base`. Their change lands there; other people's words elsewhere
 * stay. For forms that are saved at once (the milestone dialog) rather than typed into live.
 */
export function mergeText(text: Y.Text, anchors: TextAnchors, base: string, next: string): void {
  const change = textChange(base, next);
  if (change.remove === 0 && change.insert === '') return;
  const doc = text.doc;
  if (!doc || anchors.base !== base) {
    setText(text, next);
    return;
  }
  const at = (index: number) =>
    Y.createAbsolutePositionFromRelativePosition(anchors.positions[index]!, doc)?.index ?? index;
  const apply = () => {
    const start = at(change.index);
    const end = Math.max(start, at(change.index + change.remove));
    if (end > start) text.delete(start, end - start);
    if (change.insert) text.insert(start, change.insert);
  };
  doc.transact(apply);
}

/** Positions in a text as it was, that still point at the same place after others' edits. */
export interface TextAnchors {
  base: string;
  positions: Y.RelativePosition[];
}

/** Takes anchors for every position in `text` now (before each character, and at its end). */
export function textAnchors(text: Y.Text): TextAnchors {
  const base = text.toString();
  const positions: Y.RelativePosition[] = [];
  for (let index = 0; index <= base.length; index++)
    positions.push(Y.createRelativePositionFromTypeIndex(text, index, index === base.length ? -1 : 0));
  return { base, positions };
}
