import { Editor, Extension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import Heading from '@tiptap/extension-heading';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { organizationColor } from './org-colors.ts';

/** What the editor needs from its surroundings. */
export interface NotesEditorOptions {
  element: HTMLElement;
  doc: Y.Doc;
  /** The session's presence; without it (a stored version) no carets are drawn. */
  awareness?: Awareness;
  editable: boolean;
  /** Attributes of the editable element (aria-label, aria-readonly, …). */
  attributes: () => Record<string, string>;
  /** Accessible name of a task checkbox. */
  taskLabel: (text: string, checked: boolean) => string;
  /** Opens the link prompt (Ctrl/Cmd+K). */
  onLinkRequest: () => void;
  /** Called after every transaction (also during construction), for toolbar state. */
  onTransaction: (editor: Editor) => void;
}

/** Remote caret: a coloured line with the person's name and organisation above it. */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const organization = typeof user.organization === 'string' ? user.organization : '';
  const name = typeof user.name === 'string' ? user.name : '';
  // The colour follows the server-stamped organisation, never the colour a client claims, so
  // every label keeps its tested contrast.
  const color = organizationColor(organization);
  const caret = document.createElement('span');
  caret.className = 'collab-caret';
  caret.style.borderColor = color;
  // Presence is listed in the presence bar; inside the text the names would only be read aloud.
  caret.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'collab-caret__label';
  label.style.backgroundColor = color;
  label.textContent = organization ? `${name} (${organization})` : name;
  // Word joiners keep the browser from breaking the line at the widget.
  caret.append(document.createTextNode('\u2060'), label, document.createTextNode('\u2060'));
  return caret;
}

/** Remote selection: a light tint of the organisation colour that keeps text readable. */
export function renderSelection(user: Record<string, unknown>) {
  const color = organizationColor(typeof user.organization === 'string' ? user.organization : '');
  return { class: 'collab-selection', style: `background-color: ${color}33` };
}

/** The heading levels the toolbar offers; the page title is the only h1. */
const HEADING_LEVELS = [2, 3, 4] as const;

/**
 * Headings of every level: text pasted from a word processor or a web page starts with an h1 (and
 * may go down to h6), which the stock rules, one per offered level, turned into paragraphs. Each
 * level is read as the nearest one offered, so a pasted outline keeps its structure.
 */
const NotesHeading = Heading.extend({
  parseHTML() {
    const [top, , bottom] = HEADING_LEVELS;
    return [1, 2, 3, 4, 5, 6].map((level) => ({
      tag: `h${level}`,
      attrs: { level: Math.min(Math.max(level, top), bottom) },
    }));
  },
}).configure({ levels: [...HEADING_LEVELS] });

/** Builds the TipTap editor on the document's `default` XML fragment. */
export function createNotesEditor(options: NotesEditorOptions): Editor {
  const shortcuts = Extension.create({
    name: 'nordraumShortcuts',
    addKeyboardShortcuts() {
      return {
        'Mod-k': () => {
          if (!this.editor.isEditable) return false;
          options.onLinkRequest();
          return true;
        },
      };
    },
  });

  return new Editor({
    element: options.element,
    editable: options.editable,
    // TipTap's base styles are tiny and inline styles are allowed by our CSP.
    injectCSS: true,
    extensions: [
      StarterKit.configure({
        // Collaboration brings a Yjs undo manager that undoes only one's own edits.
        undoRedo: false,
        heading: false,
        link: {
          openOnClick: false,
          autolink: true,
          defaultProtocol: 'https',
          protocols: ['mailto'],
          HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
        },
      }),
      NotesHeading,
      TaskList,
      TaskItem.configure({
        nested: true,
        a11y: {
          checkboxLabel: (node: ProseMirrorNode, checked: boolean) => options.taskLabel(node.textContent, checked),
        },
      }),
      TableKit.configure({ table: { resizable: false } }),
      Collaboration.configure({ document: options.doc, field: 'default' }),
      ...(options.awareness
        ? [
            CollaborationCaret.configure({
              provider: { awareness: options.awareness },
              // Only the colour is ours to choose; the server stamps id, name and organisation.
              user: options.awareness.getLocalState()?.user ?? {},
              render: renderCaret,
              selectionRender: renderSelection,
            }),
          ]
        : []),
      shortcuts,
    ],
    editorProps: { attributes: options.attributes() },
    onTransaction: ({ editor }) => options.onTransaction(editor),
  });
}
