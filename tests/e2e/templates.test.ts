import {
  actionListOf,
  builtInTemplates,
  docOf,
  type NotesBlock,
  readNotesTree,
  writeNotesTree,
} from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, untilCommitted } from '../helpers/sync.ts';
import {
  admin,
  checkPage,
  expectHeading,
  freshPage,
  login,
  openDocumentAs,
  startWeb,
  type WebFixture,
} from './web-support.ts';

let web: WebFixture;
let roomId: string;
let protocolId: string;
const listIds: string[] = [];

const cell = (text: string) => ({ header: false, blocks: [{ type: 'paragraph', runs: [{ text }] } as NotesBlock] });

/** The workshop template with two actions in its table. */
function filledWorkshop(): NotesBlock[] {
  const doc = new Y.Doc();
  builtInTemplates.find((template) => template.id === 'builtin:workshop-protocol:de')!.fill(doc);
  const blocks = readNotesTree(doc);
  const table = blocks.filter((block) => block.type === 'table')[1] as Extract<NotesBlock, { type: 'table' }>;
  table.rows = [
    table.rows[0]!,
    ['Schnittstelle beschreiben', '', 'SH', '30.06.2027'].map(cell),
    ['Katalog abstimmen', '', 'MV', '15.07.2027'].map(cell),
  ];
  return blocks;
}

async function listTitles(listId: string): Promise<string[]> {
  const response = await fetch(web.url(`/api/documents/${listId}/state`), {
    headers: { cookie: web.api.cookie ?? '' },
  });
  return actionListOf(docOf(new Uint8Array(await response.arrayBuffer())))
    .items()
    .map((item) => item.title);
}

beforeAll(async () => {
  web = await startWeb();
  roomId = (await web.api.post('/api/rooms', { name: 'AG Vorlagen' })).json.room.id;
  protocolId = (await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: 'Jour fixe März' })).json
    .document.id;
  for (const title of ['Maßnahmen Jour fixe', 'Maßnahmen Lenkungskreis'])
    listIds.push((await web.api.post(`/api/rooms/${roomId}/documents`, { kind: 'actions', title })).json.document.id);
  const client = connectClient({ url: web.url(''), origin: web.url(''), cookie: web.api.cookie }, protocolId);
  await client.synced();
  writeNotesTree(client.doc, filledWorkshop());
  await untilCommitted({ url: web.url(''), origin: web.url(''), cookie: web.api.cookie }, protocolId, client.doc);
  client.destroy();
}, 120_000);
afterAll(() => web?.close());

describe('templates of a room', () => {
  it('are saved from a document, offered by "new document" with its actions going into a list, and deleted', async () => {
    const page = await openDocumentAs(web, admin, protocolId);
    await page.getByText('Als Vorlage speichern', { exact: true }).click();
    const name = page.getByLabel('Name der Vorlage');
    await expect.poll(() => name.inputValue()).toBe('Jour fixe März');
    await name.fill('Jour fixe');
    await page.getByLabel('Für wen').selectOption({ label: 'Für diesen Datenraum' });
    await checkPage(page, 'save-template');
    await page.getByRole('button', { name: 'Vorlage speichern' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContainEqual(expect.stringContaining('„Jour fixe“ wurde gespeichert'));
    await page.context().close();

    const room = await freshPage(web);
    await login(web, room, admin.email, admin.password, `/rooms/${roomId}`);
    await expectHeading(room, 'AG Vorlagen');
    await room.getByLabel('Art des Dokuments').selectOption({ label: 'Workshop-Protokoll' });
    const template = room.locator('#document-template');
    await expect
      .poll(() => template.locator('optgroup[label="Vorlagen dieses Datenraums"] option').allTextContents())
      .toEqual(['Jour fixe']);
    expect(await template.locator('optgroup[label="Vorlagen von Nordraum"] option').count()).toBe(2);
    await template.selectOption({ label: 'Jour fixe' });
    await room.getByLabel('Maßnahmen der Vorlage übernehmen in').selectOption({ label: 'Maßnahmen Jour fixe' });
    await checkPage(room, 'document-from-room-template');
    await room.getByLabel('Titel', { exact: true }).fill('Jour fixe April');
    await room.getByRole('button', { name: 'Dokument anlegen' }).click();
    await room.getByRole('link', { name: 'Jour fixe April', exact: true }).waitFor();
    await expect
      .poll(() => listTitles(listIds[0]!), { timeout: 15_000 })
      .toEqual(['Schnittstelle beschreiben', 'Katalog abstimmen']);

    const saved = room.locator('.room-templates');
    await expect.poll(() => saved.locator('li').allTextContents()).toEqual([expect.stringContaining('Jour fixe')]);
    await saved.getByRole('button', { name: 'Vorlage „Jour fixe“ löschen' }).click();
    await room.getByRole('dialog').getByRole('button', { name: 'Löschen' }).click();
    await expect.poll(() => saved.locator('li').count()).toBe(0);
    await room.reload();
    await room.getByLabel('Art des Dokuments').selectOption({ label: 'Workshop-Protokoll' });
    await expect.poll(() => room.locator('#document-template').locator('optgroup').count()).toBe(1);
    await room.context().close();
  });

  it("put a protocol's actions into a chosen list from the document page, after a preview", async () => {
    const page = await openDocumentAs(web, admin, protocolId);
    await page.getByText('Maßnahmen in eine Maßnahmenliste übernehmen', { exact: true }).click();
    const preview = page.locator('.protocol-actions table');
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(2);
    expect(await preview.locator('tbody tr').first().textContent()).toContain('Schnittstelle beschreiben');
    await page.getByLabel('Maßnahmenliste').selectOption({ label: 'Maßnahmen Lenkungskreis' });
    await checkPage(page, 'protocol-actions');
    await page.getByRole('button', { name: 'Maßnahmen übernehmen' }).click();
    await expect
      .poll(() => page.locator('.protocol-actions [role="status"]').textContent())
      .toContain('2 Maßnahme(n) in „Maßnahmen Lenkungskreis“ übernommen');
    expect(await listTitles(listIds[1]!)).toEqual(['Schnittstelle beschreiben', 'Katalog abstimmen']);
    await page.context().close();
  });
});
