import { fromBase64 } from '@nordraum/domain';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/** The collaboration plugin's binding: the notes fragment and its mapping to ProseMirror nodes. */
export interface Binding {
  type: Y.XmlFragment;
  doc: Y.Doc;
  mapping: Map<unknown, unknown>;
}

interface Reading {
  doc: ProseMirrorNode;
  /** Where each text's first character is in the ProseMirror document. */
  starts: Map<Y.XmlText, number>;
  /** Encoded relative position → absolute position (null: gone), for this reading. */
  positions: Map<string, number | null>;
}

const readings = new WeakMap<Binding, Reading>();
/** Decoded relative positions by their encoding; anchors are few (a document's threads). */
const decoded = new Map<string, Y.RelativePosition>();

/**
 * Where every text of the fragment starts, from one walk over it (as the collaboration plugin counts:
 * a text by its length, an element by its node's size). Stops at an element without a node yet: the
 * texts after it are left to the plugin's own resolution.
 */
function textStarts(binding: Binding): Map<Y.XmlText, number> {
  const starts = new Map<Y.XmlText, number>();
  const walk = (parent: Y.XmlFragment | Y.XmlElement, start: number): boolean => {
    let pos = start;
    for (let item = parent._first; item !== null; item = item.right as Y.Item | null) {
      if (item.deleted) continue;
      const type = (item.content as Y.ContentType).type;
      if (type instanceof Y.XmlText) {
        starts.set(type, pos);
        pos += type._length;
        continue;
      }
      const node = binding.mapping.get(type) as ProseMirrorNode | undefined;
      if (!node) return false;
      if (type instanceof Y.XmlElement && !walk(type, pos + 1)) return false;
      pos += node.nodeSize;
    }
    return true;
  };
  walk(binding.type, 0);
  return starts;
}

function readingOf(binding: Binding, doc: ProseMirrorNode): Reading {
  const known = readings.get(binding);
  if (known?.doc === doc) return known;
  const reading = { doc, starts: textStarts(binding), positions: new Map() };
  readings.set(binding, reading);
  return reading;
}

function relativePosition(encoded: string): Y.RelativePosition {
  let position = decoded.get(encoded);
  if (!position) {
    if (decoded.size > 20_000) decoded.clear();
    position = Y.decodeRelativePosition(fromBase64(encoded));
    decoded.set(encoded, position);
  }
  return position;
}

/**
 * An encoded Yjs relative position as a position in the editor's document (null when its text is
 * gone), with the result of `relativePositionToAbsolutePosition`. The texts' starts are read once
 * per document state, and each position once: a document with hundreds of threads resolves them
 * all in one walk instead of one walk per position, and again only when the document changes.
 */
export function absolutePosition(binding: Binding, doc: ProseMirrorNode, encoded: string): number | null {
  const reading = readingOf(binding, doc);
  const known = reading.positions.get(encoded);
  if (known !== undefined) return known;
  const relative = relativePosition(encoded);
  let position: number | null = null;
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, binding.doc);
  const start = absolute?.type instanceof Y.XmlText ? reading.starts.get(absolute.type) : undefined;
  if (absolute && start !== undefined) {
    position = start + absolute.index;
    // As the plugin: a position inside a text that lands at the document's start is misresolved.
    if (relative.item !== null && position <= 1) position = null;
  } else {
    position = relativePositionToAbsolutePosition(binding.doc, binding.type, relative, binding.mapping as never);
  }
  reading.positions.set(encoded, position);
  return position;
}
