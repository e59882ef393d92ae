import { fromBase64, type Thread, type ThreadAnchor, toBase64 } from '@nordraum/domain';
import type { Editor } from '@tiptap/core';
import { type EditorState, Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';

type TextAnchor = Extract<ThreadAnchor, { type: 'text' }>;

interface Binding {
  type: Y.XmlFragment;
  doc: Y.Doc;
  mapping: Map<unknown, unknown>;
}

const bindingOf = (state: EditorState) => ySyncPluginKey.getState(state)?.binding as Binding | undefined;

/**
 * The selected passage as a text anchor: Yjs relative positions against the notes fragment (the
 * collaboration plugin's mapping), so the range stays on the same words while others edit.
 */
export function selectionAnchor(editor: Editor): TextAnchor | null {
  const { from, to, empty } = editor.state.selection;
  const binding = bindingOf(editor.state);
  if (empty || !binding) return null;
  const encode = (pos: number) =>
    toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never)));
  const quote = editor.state.doc.textBetween(from, to, ' ').trim().slice(0, 2_000);
  return quote ? { type: 'text', start: encode(from), end: encode(to), quote } : null;
}

/** Where a text anchor is now, or null when its passage has been deleted. */
export function resolveAnchor(state: EditorState, anchor: TextAnchor): { from: number; to: number } | null {
  const binding = bindingOf(state);
  if (!binding) return null;
  try {
    const at = (value: string) =>
      relativePositionToAbsolutePosition(
        binding.doc,
        binding.type,
        Y.decodeRelativePosition(fromBase64(value)),
        binding.mapping as never,
      );
    const from = at(anchor.start);
    const to = at(anchor.end);
    return from !== null && to !== null && to > from ? { from, to } : null;
  } catch {
    return null;
  }
}

/** Selects a thread's passage and scrolls it into view; false when the passage is gone. */
export function showPassage(editor: Editor, anchor: TextAnchor): boolean {
  const range = resolveAnchor(editor.state, anchor);
  if (!range) return false;
  const { state, view } = editor;
  view.dispatch(state.tr.setSelection(TextSelection.create(state.doc, range.from, range.to)).scrollIntoView());
  return true;
}

const highlightKey = new PluginKey<DecorationSet>('nordraumCommentHighlights');

function decorate(state: EditorState, threads: Thread[], label: (count: number) => string): DecorationSet {
  const decorations: Decoration[] = [];
  const markers = new Map<number, number>();
  for (const thread of threads) {
    if (thread.resolved || thread.anchor.type !== 'text') continue;
    const range = resolveAnchor(state, thread.anchor);
    if (!range) continue;
    decorations.push(Decoration.inline(range.from, range.to, { class: 'comment-anchor', 'data-thread': thread.id }));
    markers.set(range.to, (markers.get(range.to) ?? 0) + 1);
  }
  for (const [pos, count] of markers) {
    decorations.push(
      Decoration.widget(
        pos,
        () => {
          // A number beside an icon, never colour alone; the label names it for screen readers.
          const marker = document.createElement('span');
          marker.className = 'comment-marker';
          marker.contentEditable = 'false';
          marker.setAttribute('role', 'img');
          marker.setAttribute('aria-label', label(count));
          marker.textContent = `💬 ${count}`;
          return marker;
        },
        { side: 1, key: `marker-${pos}-${count}` },
      ),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

/**
 * Highlights the open threads' passages with a marker of how many threads each has; call the
 * returned `refresh` when the threads change, and `remove` when the panel goes away.
 */
export function attachHighlights(editor: Editor, threads: () => Thread[], label: (count: number) => string) {
  const plugin = new Plugin<DecorationSet>({
    key: highlightKey,
    state: {
      init: (_config, state) => decorate(state, threads(), label),
      apply: (tr, set, _old, state) =>
        tr.docChanged || tr.getMeta(highlightKey) ? decorate(state, threads(), label) : set.map(tr.mapping, tr.doc),
    },
    props: { decorations: (state) => highlightKey.getState(state) },
  });
  editor.registerPlugin(plugin);
  return {
    refresh() {
      if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(highlightKey, true));
    },
    remove() {
      if (!editor.isDestroyed) editor.unregisterPlugin(highlightKey);
    },
  };
}
