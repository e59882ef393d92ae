import type { Editor } from '@tiptap/core';

/** Which formats apply at the selection and which actions are possible; drives the toolbar. */
export interface ToolbarState {
  paragraph: boolean;
  heading2: boolean;
  heading3: boolean;
  heading4: boolean;
  bold: boolean;
  italic: boolean;
  link: boolean;
  bulletList: boolean;
  orderedList: boolean;
  taskList: boolean;
  inTable: boolean;
  canUndo: boolean;
  canRedo: boolean;
}

/** The state before the editor exists: nothing active, nothing to undo. */
export const EMPTY_TOOLBAR_STATE: ToolbarState = {
  paragraph: true,
  heading2: false,
  heading3: false,
  heading4: false,
  bold: false,
  italic: false,
  link: false,
  bulletList: false,
  orderedList: false,
  taskList: false,
  inTable: false,
  canUndo: false,
  canRedo: false,
};

/** Reads the toolbar state from the editor's current selection. */
export function readToolbarState(editor: Editor): ToolbarState {
  return {
    paragraph: editor.isActive('paragraph'),
    heading2: editor.isActive('heading', { level: 2 }),
    heading3: editor.isActive('heading', { level: 3 }),
    heading4: editor.isActive('heading', { level: 4 }),
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    link: editor.isActive('link'),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    taskList: editor.isActive('taskList'),
    inTable: editor.isActive('table'),
    canUndo: editor.can().undo(),
    canRedo: editor.can().redo(),
  };
}
