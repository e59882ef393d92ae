import { builtInTemplates, readNotesTree, writeNotesTree } from '@nordraum/domain';
import { getSchema } from '@tiptap/core';
import Heading from '@tiptap/extension-heading';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sampleProtocol } from '../../packages/domain/src/export/sample-protocol.ts';

// The editor's schema (apps/web/src/lib/editor/create-editor.ts): what the browser will read.
const schema = getSchema([
  StarterKit.configure({ undoRedo: false, heading: false }),
  Heading.configure({ levels: [2, 3, 4] }),
  TaskList,
  TaskItem.configure({ nested: true }),
  TableKit.configure({ table: { resizable: false } }),
]);

/** The document as the editor reads it, checked against the schema. */
function asEditorReadsIt(doc: Y.Doc) {
  const node = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment('default'), schema);
  node.check();
  return node;
}

describe('notes written by imports and templates', () => {
  it('are what the editor reads, nothing dropped', () => {
    const doc = new Y.Doc();
    writeNotesTree(doc, sampleProtocol());
    const node = asEditorReadsIt(doc);
    expect(node.childCount).toBe(sampleProtocol().length);
    const types = new Set<string>();
    node.descendants((child) => {
      types.add(child.type.name);
      for (const mark of child.marks) types.add(mark.type.name);
    });
    for (const type of [
      'heading',
      'bulletList',
      'orderedList',
      'taskList',
      'taskItem',
      'table',
      'tableHeader',
      'tableCell',
      'bold',
      'italic',
      'link',
      'hardBreak',
    ])
      expect(types).toContain(type);
    expect(node.textContent).toContain('Jörg Größer');
    // Checked state arrives as the editor's attribute.
    const checked: boolean[] = [];
    node.descendants((child) => {
      if (child.type.name === 'taskItem') checked.push(child.attrs.checked);
    });
    expect(checked).toEqual([true, false]);
    expect(readNotesTree(doc)).toEqual(sampleProtocol());
  });

  it('hold for every built-in notes template', () => {
    for (const template of builtInTemplates.filter((candidate) => candidate.kind === 'notes')) {
      const doc = new Y.Doc();
      template.fill(doc);
      expect(asEditorReadsIt(doc).childCount).toBe(doc.getXmlFragment('default').length);
    }
  });
});
