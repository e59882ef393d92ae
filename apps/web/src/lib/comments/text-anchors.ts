import { type Thread, type ThreadAnchor, toBase64 } from '@nordraum/domain';
import type { Editor } from '@tiptap/core';
import { type EditorState, Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { absolutePosition, type Binding } from './anchor-positions.ts';

type TextAnchor = Extract<ThreadAnchor, { type: 'text' }>;

const bindingOf = (state: EditorState) => ySyncPluginKey.getState(state)?.binding as Binding | undefined;

/**
 * The selected passage as a text anchor: Yjs relative positions against the notes fragment (the
 * collaboration plugin's mapping), so the range stays on the same words while others edit.
 */
export function selectionAnchor(editor: Editor): TextAnchor | null {
  const { selection } = editor.state;
  const binding = bindingOf(editor.state);
  if (selection.empty || !binding) return null;
  let { from, to } = selection;
  if (selection.$from.sameParent(selection.$to)) {
    // Spaces at the ends are not part of the words meant: a suggestion then keeps them.
    const selected = editor.state.doc.textBetween(from, to);
    from += selected.length - selected.trimStart().length;
    to -= selected.length - selected.trimEnd().length;
    if (to <= from) return null;
  }
  const encode = (pos: number) =>
    toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never)));
  const quote = editor.state.doc.textBetween(from, to, ' ').trim().slice(0, 2_000);
  return quote ? { type: 'text', start: encode(from), end: encode(to), quote } : null;
}

/** Whether the editor's selection lies inside one paragraph (a suggested change must). */
export function selectionInOneBlock(editor: Editor): boolean {
  const { $from, $to, empty } = editor.state.selection;
  return !empty && $from.sameParent($to) && $from.parent.isTextblock;
}

/** The text of a text anchor's passage as it reads now, or null when the passage is gone. */
export function passageText(state: EditorState, anchor: TextAnchor): string | null {
  const range = resolveAnchor(state, anchor);
  return range ? state.doc.textBetween(range.from, range.to, ' ') : null;
}

/** Where a text anchor is now, or null when its passage has been deleted (cheap to ask again). */
export function resolveAnchor(state: EditorState, anchor: TextAnchor): { from: number; to: number } | null {
  const binding = bindingOf(state);
  if (!binding) return null;
  try {
    const from = absolutePosition(binding, state.doc, anchor.start);
    const to = absolutePosition(binding, state.doc, anchor.end);
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

/**
 * Scrolls the window so that a thread's passage is in the middle of the view, when it is not in
 * view; measured from the editor's own coordinates, so it works whatever wraps the editor.
 */
export function centerPassage(editor: Editor, anchor: TextAnchor): void {
  const range = resolveAnchor(editor.state, anchor);
  if (!range) return;
  const top = editor.view.coordsAtPos(range.from).top;
  const bottom = editor.view.coordsAtPos(range.to).bottom;
  if (top >= 0 && bottom <= window.innerHeight) return;
  window.scrollBy({ top: (top + bottom) / 2 - window.innerHeight / 2 });
}

const highlightKey = new PluginKey<DecorationSet>('nordraumCommentHighlights');

/** The words the highlights show, from the message catalogue. */
export interface HighlightLabels {
  /** The marker's name for screen readers: how many open threads a passage has. */
  openCount(count: number): string;
  /** What a suggested change proposes, said in full for screen readers. */
  suggestion(thread: Thread & { suggestion: NonNullable<Thread['suggestion']> }, current: string): string;
}

/**
 * A suggested change shown in the text: the old words struck through (a `del` around them), then
 * the proposed words underlined and who proposed them. Struck, underlined and named, never colour
 * alone; screen readers hear one sentence saying all of it instead of the pieces.
 */
function suggestionWidget(thread: Thread & { suggestion: NonNullable<Thread['suggestion']> }, spoken: string) {
  const box = document.createElement('span');
  box.className = 'suggestion-insert';
  box.contentEditable = 'false';
  box.dataset.thread = thread.id;
  const said = document.createElement('span');
  said.className = 'visually-hidden';
  said.textContent = spoken;
  const shown = document.createElement('span');
  shown.setAttribute('aria-hidden', 'true');
  if (thread.suggestion.text) {
    const inserted = document.createElement('ins');
    inserted.textContent = thread.suggestion.text;
    shown.append(inserted);
  }
  const author = thread.suggestion.author;
  if (author) {
    const who = document.createElement('span');
    who.className = 'suggestion-author';
    who.textContent = `${author.name} · ${author.organization.code}`;
    shown.append(' ', who);
  }
  box.append(said, shown);
  return box;
}

function decorate(state: EditorState, threads: Thread[], labels: HighlightLabels): DecorationSet {
  const decorations: Decoration[] = [];
  const markers = new Map<number, number>();
  for (const thread of threads) {
    if (thread.resolved || thread.anchor.type !== 'text') continue;
    const range = resolveAnchor(state, thread.anchor);
    if (!range) continue;
    const { suggestion } = thread;
    if (suggestion?.status === 'open') {
      const proposal = { ...thread, suggestion };
      const spoken = labels.suggestion(proposal, state.doc.textBetween(range.from, range.to, ' '));
      decorations.push(
        Decoration.inline(range.from, range.to, {
          nodeName: 'del',
          class: 'suggestion-delete',
          'data-thread': thread.id,
        }),
        Decoration.widget(range.to, () => suggestionWidget(proposal, spoken), {
          side: -1,
          key: `suggestion-${thread.id}-${suggestion.text}-${spoken}`,
        }),
      );
    } else {
      decorations.push(Decoration.inline(range.from, range.to, { class: 'comment-anchor', 'data-thread': thread.id }));
    }
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
          marker.setAttribute('aria-label', labels.openCount(count));
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
 * Highlights the open threads' passages (suggested changes inline) with a marker of how many threads each has; call the
 * returned `refresh` when the threads change, and `remove` when the panel goes away.
 */
export function attachHighlights(editor: Editor, threads: () => Thread[], labels: HighlightLabels) {
  // The threads the decorations were made from: a refresh with the same list changes nothing.
  let decorated: Thread[] | null = null;
  const fresh = (state: EditorState) => {
    decorated = threads();
    return decorate(state, decorated, labels);
  };
  const plugin = new Plugin<DecorationSet>({
    key: highlightKey,
    state: {
      init: (_config, state) => fresh(state),
      apply: (tr, set, _old, state) =>
        tr.docChanged || (tr.getMeta(highlightKey) && threads() !== decorated)
          ? fresh(state)
          : set.map(tr.mapping, tr.doc),
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
