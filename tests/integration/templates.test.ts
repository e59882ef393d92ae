import { blocksText, readNotesTree, roadmapOf } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
let owner: ApiClient & { id: string };
let roomId: string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  owner = await app.user('SH');
  roomId = (await owner.post('/api/rooms', { name: 'AG Vorlagen' })).json.room.id;
});
afterAll(() => app.close());

async function contentOf(documentId: string): Promise<Y.Doc> {
  const response = await fetch(`${app.url}/api/documents/${documentId}/state`, { headers: { cookie: owner.cookie! } });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
  return doc;
}

describe('templates', () => {
  it('are listed in German and English with id, name, kind and scope', async () => {
    const response = await owner.get('/api/templates');
    expect(response.status).toBe(200);
    const names = response.json.templates.map((template: { name: string }) => template.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Workshop-Protokoll',
        'Sitzung des Lenkungskreises',
        'Workshop minutes',
        'Maßnahmenliste',
      ]),
    );
    expect(response.json.templates[0]).toEqual({
      id: 'builtin:workshop-protocol:de',
      name: 'Workshop-Protokoll',
      kind: 'notes',
      scope: 'builtin',
    });
    expect((await app.anonymous().get('/api/templates')).status).toBe(401);
  });

  it('give a new protocol the workshop structure', async () => {
    const created = await owner.post(`/api/rooms/${roomId}/documents`, {
      kind: 'notes',
      title: 'Workshop 12.03.',
      templateId: 'builtin:workshop-protocol:de',
    });
    expect(created.status).toBe(201);
    const blocks = readNotesTree(await contentOf(created.json.document.id));
    const lines = blocksText(blocks);
    for (const line of [
      'Anlass:',
      'Datum:',
      'Ort/Video:',
      'Teilnehmende',
      'Land',
      'Organisation',
      'Tagesordnung',
      'Ergebnisse',
      'Maßnahmen',
      'Verantwortlich',
      'Fällig am',
      'Nächster Termin',
    ])
      expect(lines).toContain(line);
    expect(blocks.filter((block) => block.type === 'table')).toHaveLength(2);
    expect(blocks.find((block) => block.type === 'heading')).toEqual({
      type: 'heading',
      level: 2,
      runs: [{ text: 'Teilnehmende' }],
    });
  });

  it('give a roadmap the five fields, and refuse unknown or unfitting templates without creating anything', async () => {
    const roadmap = await owner.post(`/api/rooms/${roomId}/documents`, {
      kind: 'roadmap',
      title: 'Roadmap',
      templateId: 'builtin:roadmap:de',
    });
    expect(roadmap.status).toBe(201);
    const themes = roadmapOf(await contentOf(roadmap.json.document.id))
      .themes()
      .map((theme) => theme.name);
    expect(themes).toHaveLength(5);
    expect(themes).toContain('Open Source und digitale Souveränität');
    const before = (await owner.get(`/api/rooms/${roomId}/documents`)).json.documents.length;
    const wrongKind = await owner.post(`/api/rooms/${roomId}/documents`, {
      kind: 'actions',
      title: 'X',
      templateId: 'builtin:workshop-protocol:de',
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json.error.details?.fields?.templateId ?? wrongKind.json.error.fields?.templateId).toBeTruthy();
    expect(
      (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'X', templateId: 'nope' })).status,
    ).toBe(400);
    expect((await owner.get(`/api/rooms/${roomId}/documents`)).json.documents.length).toBe(before);
  });
});
