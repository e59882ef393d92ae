import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesText } from '../history/render.ts';
import { exportHeading } from './notes-heading.ts';
import { notesToMarkdown } from './notes-markdown.ts';
import { blocksText, readNotesTree, writeNotesTree } from './notes-tree.ts';
import { sampleProtocol } from './sample-protocol.ts';

describe('the notes tree', () => {
  it('reads back what it wrote, marks, links, lists, tasks and tables included', () => {
    const doc = new Y.Doc();
    writeNotesTree(doc, sampleProtocol());
    expect(readNotesTree(doc)).toEqual(sampleProtocol());
  });

  it('reads the fragment the way TipTap stores it, with the same text the history compares', () => {
    const doc = new Y.Doc();
    writeNotesTree(doc, sampleProtocol());
    const fragment = doc.getXmlFragment('default');
    expect(fragment.toString()).toContain('<taskitem checked="true">');
    expect(fragment.toString()).toContain('<heading level="3">');
    expect(blocksText(readNotesTree(doc)).join('\n')).toBe(notesText(doc));
  });

  it('keeps the text of unknown nodes', () => {
    const doc = new Y.Doc();
    const unknown = new Y.XmlElement('details');
    const inner = new Y.XmlElement('mystery');
    inner.insert(0, [new Y.XmlText('Übrig')]);
    unknown.insert(0, [inner]);
    doc.getXmlFragment('default').insert(0, [unknown]);
    expect(readNotesTree(doc)).toEqual([{ type: 'paragraph', runs: [{ text: 'Übrig' }] }]);
  });
});

describe('the export heading', () => {
  it('gives the Stand in Berlin time, or the version, and the approval', () => {
    const now = new Date('2026-12-06T23:30:00Z');
    const live = exportHeading({ title: 'Protokoll', roomName: 'AG KI', now });
    expect(live.lines).toEqual(['Datenraum: AG KI', 'Stand: 07.12.2026, 00:30 Uhr']);
    expect(live.day).toBe('2026-12-07');
    const version = exportHeading({
      title: 'Protokoll',
      roomName: 'AG KI',
      version: { name: 'Entwurf', kind: 'manual', createdAt: '2026-07-01T08:00:00Z' },
      approval: { name: null, kind: 'approved', createdAt: '2026-07-02T08:00:00Z' },
      now,
    });
    expect(version.lines).toEqual([
      'Datenraum: AG KI',
      'Version „Entwurf“ vom 01.07.2026, 10:00 Uhr',
      'Freigegeben vom Lenkungskreis am 02.07.2026, 10:00 Uhr',
    ]);
  });
});

describe('Markdown', () => {
  it('writes GFM with task lists, tables, links and escaped text', () => {
    const heading = exportHeading({ title: 'Workshop *KI*', roomName: 'AG', now: new Date('2026-12-06T10:00:00Z') });
    const markdown = notesToMarkdown(sampleProtocol(), heading);
    expect(markdown).toContain('# Workshop \\*KI\\*\n');
    expect(markdown).toContain(
      'Die Länder **Schleswig-Holstein** und *Mecklenburg-Vorpommern* prüfen die [Datenräume](<https://example.org/datenraum?a=1&b=ä>).',
    );
    expect(markdown).toContain('- [x] Einladung verschickt\n- [ ] Bericht für die Staatskanzlei');
    expect(markdown).toContain('1. Begrüßung\n2. Übergabe an das Lenkungsgremium\n   - Größe der Öffnung');
    expect(markdown).toContain('| Land | Zuständig |\n| --- | --- |\n| SH | **Jörg Größer** |');
    expect(markdown).toContain('Nächster Termin:\\\n15.01.2027');
  });
});
