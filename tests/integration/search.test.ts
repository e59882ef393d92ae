import { actionListOf, roadmapOf } from '@nordraum/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, eventually, type SyncClient, type SyncTarget } from '../helpers/sync.ts';

let app: TestApp;
let second: TestApp;
const clients: SyncClient[] = [];
beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  second = await startTestApp({ sync: {}, database: app.database });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await second.close();
  await app.close();
});

const as = (target: TestApp, client: { cookie: string | undefined }): SyncTarget => ({
  url: target.url,
  origin: target.origin,
  cookie: client.cookie,
});

interface Result {
  kind: string;
  documentId: string;
  roomId: string;
  title: string;
  snippet: string;
  anchor?: Record<string, string>;
}

async function search(user: ApiClient, q: string, extra = ''): Promise<Result[]> {
  const response = await user.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(response.status).toBe(200);
  return response.json.results;
}

const finds = async (user: ApiClient, q: string, title: string) =>
  (await search(user, q)).some((result) => result.title === title);

/** Opens a document with a stock client on `target` and writes into it. */
async function open(target: TestApp, user: ApiClient, documentId: string) {
  const client = connectClient(as(target, user), documentId);
  clients.push(client);
  await client.synced();
  return client;
}

function writeParagraphs(doc: Y.Doc, ...lines: string[]) {
  const fragment = doc.getXmlFragment('default');
  fragment.insert(
    fragment.length,
    lines.map((line) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(line)]);
      return paragraph;
    }),
  );
}

async function createDocument(owner: ApiClient, roomId: string, kind: string, title: string) {
  return (await owner.post(`/api/rooms/${roomId}/documents`, { kind, title })).json.document as { id: string };
}

describe('search', () => {
  let sh: ApiClient & { id: string };
  let mv: ApiClient & { id: string };
  let room: { id: string };
  let protocol: { id: string };

  beforeAll(async () => {
    sh = await app.user('SH', { name: 'Anna Ahrens' });
    mv = await app.user('MV', { name: 'Malte Möller' });
    room = (await sh.post('/api/rooms', { name: 'AG IT-Resilienz' })).json.room;
    protocol = await createDocument(sh, room.id, 'notes', 'Workshop Registermodernisierung');
    const client = await open(app, sh, protocol.id);
    writeParagraphs(
      client.doc,
      'Die Arbeitsgruppe beschließt drei Maßnahmen zur IT-Resilienz der Register.',
      'Übersicht der Fachverfahren und digitale Souveränität als Leitbild.',
      'Next steps: evaluate the X-Road pilot with Estonia.',
      'Hinweis <script>alert(1)</script> im Text.',
    );
    expect(await eventually(() => finds(sh, 'Maßnahme', 'Workshop Registermodernisierung'))).toBe(true);
  });

  it('finds a protocol by its text, German-aware, and opens it at the matched words', async () => {
    const [hit] = await search(sh, 'Maßnahme');
    expect(hit).toMatchObject({ kind: 'protocol', documentId: protocol.id, roomId: room.id });
    expect(hit!.snippet).toContain('<mark>Maßnahmen</mark>');
    expect(hit!.anchor).toEqual({ type: 'text', quote: 'Maßnahmen' });
    const title = 'Workshop Registermodernisierung';
    expect(await finds(sh, 'Massnahmen', title)).toBe(true); // ß/ss
    expect(await finds(sh, 'Registern', title)).toBe(true); // stemming
    expect(await finds(sh, 'Uebersicht', title)).toBe(true); // ü/ue
    expect(await finds(sh, 'beschliesst', title)).toBe(true);
    expect(await finds(sh, 'Resil', title)).toBe(true); // prefix inside a compound word
    expect(await finds(sh, 'evaluate pilot', title)).toBe(true); // English
    expect(await finds(sh, '"digitale Souveränität"', title)).toBe(true);
    expect(await finds(sh, '"Souveränität digitale"', title)).toBe(false); // a phrase keeps its order
    expect(await finds(sh, 'Registermodern', title)).toBe(true); // the title, by prefix
  });

  it('returns snippets as escaped text in which only the matches are marked', async () => {
    const [hit] = await search(sh, 'Hinweis');
    expect(hit!.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(hit!.snippet).toContain('<mark>Hinweis</mark>');
  });

  it('finds milestones and actions with their owner and Land, and opens them at the item', async () => {
    const roadmap = await createDocument(sh, room.id, 'roadmap', 'Roadmap 2027');
    const list = await createDocument(sh, room.id, 'actions', 'Maßnahmenliste');
    await sh.put(`/api/rooms/${room.id}/members/${mv.id}`, { role: 'editor' });
    const roadmapClient = await open(app, sh, roadmap.id);
    roadmapOf(roadmapClient.doc).initialise();
    const milestoneId = roadmapOf(roadmapClient.doc).addMilestone({
      themeId: 'theme-once-only',
      title: 'Datenschutzfolgenabschätzung',
      description: 'Once-Only-Nachweise anbinden',
      lead: 'MV',
    });
    const listClient = await open(app, sh, list.id);
    const actionId = actionListOf(listClient.doc).addItem({
      title: 'Lastenheft abstimmen',
      ownerId: mv.id,
      organization: 'MV',
    });
    // Two documents, indexed each on its own: the list being found says nothing of the roadmap.
    expect(await eventually(() => finds(sh, 'Lastenheft', 'Lastenheft abstimmen'))).toBe(true);
    expect(await eventually(() => finds(sh, 'Datenschutzfolgen', 'Datenschutzfolgenabschätzung'))).toBe(true);
    expect((await search(sh, 'Datenschutzfolgen'))[0]).toMatchObject({
      kind: 'milestone',
      documentId: roadmap.id,
      anchor: { type: 'milestone', milestoneId },
    });
    expect((await search(sh, 'Nachweise'))[0]?.title).toBe('Datenschutzfolgenabschätzung');
    expect((await search(sh, 'Möller Lastenheft'))[0]).toMatchObject({
      kind: 'action',
      anchor: { type: 'action', actionId },
    });
    expect(await finds(sh, 'Maßnahmenliste', 'Maßnahmenliste')).toBe(true);
    const onlyActions = await search(sh, 'Lastenheft', '&kind=milestone');
    expect(onlyActions).toEqual([]);
    await sh.delete(`/api/rooms/${room.id}/members/${mv.id}`);
  });

  it('finds an edit from a stock client within two seconds, also through another instance', async () => {
    const document = await createDocument(sh, room.id, 'notes', 'Sitzung Lenkungskreis');
    const client = await open(second, sh, document.id);
    const started = Date.now();
    writeParagraphs(client.doc, 'Beschluss zur Quantenkryptografie vertagt.');
    expect(await eventually(() => finds(sh, 'Quantenkryptografie', 'Sitzung Lenkungskreis'), 2_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    // A rename is found at once, on every instance: the document row carries its own entry.
    await sh.patch(`/api/documents/${document.id}`, { title: 'Sitzung Lenkungskreis Nord' });
    expect(await finds(sh, 'Nord', 'Sitzung Lenkungskreis Nord')).toBe(true);
  });

  it('files what is typed after a rename under the new title, also when the indexer typing is watched on did not hear of it', async () => {
    const document = await createDocument(sh, room.id, 'notes', 'Sitzung Hafenkooperation');
    const client = await open(second, sh, document.id);
    writeParagraphs(client.doc, 'Erster Punkt: Breitbandförderung.');
    expect(await eventually(() => finds(sh, 'Breitbandförderung', 'Sitzung Hafenkooperation'))).toBe(true);
    // Renamed through the other instance's API: the indexer of `second` keeps the row it read.
    await sh.patch(`/api/documents/${document.id}`, { title: 'Sitzung Küstenschutz' });
    writeParagraphs(client.doc, 'Zweiter Punkt: Deichbau an der Westküste.');
    expect(await eventually(() => finds(sh, 'Deichbau', 'Sitzung Küstenschutz'))).toBe(true);
    expect(await finds(sh, 'Breitbandförderung', 'Sitzung Küstenschutz')).toBe(true);
  });

  it('follows typing inside a long protocol: words typed into a paragraph are found, deleted ones no more', async () => {
    const document = await createDocument(sh, room.id, 'notes', 'Langes Protokoll');
    const client = await open(app, sh, document.id);
    writeParagraphs(
      client.doc,
      ...Array.from({ length: 60 }, (_, i) => `Absatz ${i}: Die Arbeitsgruppe bespricht die Meilensteine der Roadmap.`),
    );
    expect(await eventually(() => finds(sh, 'Meilensteine', 'Langes Protokoll'))).toBe(true);
    const fragment = client.doc.getXmlFragment('default');
    const textOf = (index: number) => (fragment.get(index) as Y.XmlElement).get(0) as Y.XmlText;
    // Typed into paragraphs that were indexed already: only they changed.
    textOf(5).insert(0, 'Glasfaserausbau ');
    expect(await eventually(() => finds(sh, 'Glasfaserausbau', 'Langes Protokoll'))).toBe(true);
    // In this order: the reading that finds the second word has the first one deleted.
    textOf(5).delete(0, 'Glasfaserausbau '.length);
    textOf(40).insert(textOf(40).length, ' Quellcodeprüfung');
    expect(await eventually(() => finds(sh, 'Quellcodeprüfung', 'Langes Protokoll'))).toBe(true);
    expect(await finds(sh, 'Glasfaserausbau', 'Langes Protokoll')).toBe(false);
    // Paragraphs removed take their words along.
    fragment.delete(40, 1);
    expect(await eventually(async () => !(await finds(sh, 'Quellcodeprüfung', 'Langes Protokoll')))).toBe(true);
    expect(await finds(sh, 'Meilensteine', 'Langes Protokoll')).toBe(true);
  });

  it('finds documents that started with content nobody typed: imported, or made from a template', async () => {
    const form = new FormData();
    form.append('file', new Blob(['# Ergebnis\n\nDie Zwiebelschalenarchitektur wird geprüft.']), 'ergebnis.md');
    const imported = await fetch(`${app.url}/api/rooms/${room.id}/imports`, {
      method: 'POST',
      headers: { cookie: sh.cookie ?? '', origin: app.origin },
      body: form,
    });
    expect(imported.status).toBe(201);
    const { title } = ((await imported.json()) as { document: { title: string } }).document;
    expect(await eventually(() => finds(sh, 'Zwiebelschalenarchitektur', title))).toBe(true);

    const source = await createDocument(sh, room.id, 'notes', 'Vorlage Basiskomponenten');
    writeParagraphs((await open(app, sh, source.id)).doc, 'Gliederung: Nachnutzbarkeitsprüfung der Basiskomponenten.');
    expect(await eventually(() => finds(sh, 'Nachnutzbarkeitsprüfung', 'Vorlage Basiskomponenten'))).toBe(true);
    const template = await sh.post(`/api/documents/${source.id}/templates`, {
      name: 'Basiskomponenten',
      scope: 'room',
    });
    expect(template.status).toBe(201);
    const copy = await sh.post(`/api/rooms/${room.id}/documents`, {
      kind: 'notes',
      title: 'Workshop Basiskomponenten',
      templateId: template.json.template.id,
    });
    expect(copy.status).toBe(201);
    expect(await eventually(() => finds(sh, 'Nachnutzbarkeitsprüfung', 'Workshop Basiskomponenten'))).toBe(true);
  });

  it('shows a room only to people who may read it now: after a grant, not after it is withdrawn', async () => {
    const title = 'Workshop Registermodernisierung';
    expect(await finds(mv, 'Maßnahmen', title)).toBe(false);
    expect(await search(mv, 'Resil')).toEqual([]);
    const organizations = (await app.admin.get('/api/organizations')).json.organizations as {
      id: string;
      code: string;
    }[];
    const mvOrg = organizations.find((organization) => organization.code === 'MV')!;
    expect((await app.admin.put(`/api/rooms/${room.id}/grants/${mvOrg.id}`, { role: 'viewer' })).status).toBe(200);
    expect(await finds(mv, 'Maßnahmen', title)).toBe(true);
    expect((await app.admin.delete(`/api/rooms/${room.id}/grants/${mvOrg.id}`)).status).toBe(204);
    expect(await finds(mv, 'Maßnahmen', title)).toBe(false);
    // A member removed from the room stops finding it with the next query.
    await sh.put(`/api/rooms/${room.id}/members/${mv.id}`, { role: 'viewer' });
    expect(await finds(mv, 'Maßnahmen', title)).toBe(true);
    await sh.delete(`/api/rooms/${room.id}/members/${mv.id}`);
    expect(await finds(mv, 'Maßnahmen', title)).toBe(false);
  });

  it('finds comment threads, with mentions as names, opens them at the thread, and follows edits and deletions', async () => {
    await sh.put(`/api/rooms/${room.id}/members/${mv.id}`, { role: 'viewer' });
    const created = await sh.post(`/api/documents/${protocol.id}/threads`, {
      body: `Bitte die Notstromversorgung prüfen, @[Malte Möller](${mv.id})`,
      anchor: { type: 'document' },
    });
    expect(created.status).toBe(201);
    const thread = created.json.thread as { id: string; comments: { id: string }[] };
    const reply = await sh.post(`/api/threads/${thread.id}/comments`, { body: 'Der Dieselvorrat reicht 72 Stunden.' });
    // Written with the comment, in the same transaction: found at once, by everyone who may read it.
    const found = (await search(sh, 'Notstromversorgung')).find((result) => result.kind === 'comment');
    expect(found).toMatchObject({
      documentId: protocol.id,
      roomId: room.id,
      anchor: { type: 'thread', threadId: thread.id },
    });
    expect(found!.title).toContain('Notstromversorgung');
    expect(found!.title).not.toContain(mv.id);
    expect((await search(sh, 'Dieselvorrat', '&kind=comment')).map((r) => r.kind)).toEqual(['comment']);
    expect((await search(sh, 'Malte', '&kind=comment')).length).toBe(1);
    expect((await search(mv, 'Dieselvorrat')).map((r) => r.kind)).toEqual(['comment']);
    // An outsider finds nothing of it.
    const outsider = await app.user('MV', { name: 'Ole Außen' });
    expect(await search(outsider, 'Notstromversorgung')).toEqual([]);
    // Edited: the old words are gone, the new ones found; deleted: gone.
    expect(
      (await sh.patch(`/api/comments/${reply.json.comment.id}`, { body: 'Der Tank reicht 48 Stunden.' })).status,
    ).toBe(200);
    expect(await search(sh, 'Dieselvorrat', '&kind=comment')).toEqual([]);
    expect((await search(sh, 'Tank', '&kind=comment')).length).toBe(1);
    expect((await sh.delete(`/api/comments/${reply.json.comment.id}`)).status).toBe(204);
    expect(await search(sh, 'Tank', '&kind=comment')).toEqual([]);
    expect((await search(sh, 'Notstromversorgung', '&kind=comment')).length).toBe(1);
    // Re-indexing the document's content keeps the thread's entry.
    const client = await open(app, sh, protocol.id);
    writeParagraphs(client.doc, 'Nachtrag zur Stromversorgung.');
    expect(await eventually(async () => (await search(sh, 'Nachtrag')).length > 0)).toBe(true);
    expect((await search(sh, 'Notstromversorgung', '&kind=comment')).length).toBe(1);
  });

  it('keeps a long thread’s entry as rebuilding it from all its comments would, comment by comment', async () => {
    const created = await sh.post(`/api/documents/${protocol.id}/threads`, {
      body: 'Wer übernimmt die Schnittstellenbeschreibung?',
      anchor: { type: 'document' },
    });
    const threadId = created.json.thread.id as string;
    const key = `comment:${protocol.id}:${threadId}`;
    const entry = async () =>
      (
        await app.database.db.execute<{ title: string; body: string; vector: string; organization: string }>(
          sql`select title, body, vector::text as vector, organization from search_entry where key = ${key}`,
        )
      ).rows[0];
    // Endings that leave stopwords after the last word found, a comment of stopwords only, mentions,
    // umlauts and compounds, long ones that take the body past its 20,000 characters, and more after.
    const bodies = [
      'Ich stimme zu',
      'Ja, und du?',
      `Das Fachverfahren für Übersichten prüft @[Malte Möller](${mv.id}) bis Freitag, dann sehen wir weiter.`,
      'IT-Resilienz und Register-Modernisierung: siehe https://example.org/a-b?c=d, danach ist es so.',
      ...Array.from(
        { length: 14 },
        (_, n) => `Absatz ${n}: ${'Maßnahmenplanung der Länder über Jahre '.repeat(40)}wie bei`,
      ),
      'Nach der Grenze: Leuchtturmprojekt',
      'Noch ein Leuchtturmprojekt danach',
    ];
    for (const body of bodies) {
      await app.database.db.execute(
        sql`insert into comment (thread_id, author_id, body) values (${threadId}, ${sh.id}, ${body})`,
      );
      const appended = await entry();
      await app.database.db.execute(sql`select nordraum_search_thread(${threadId}::uuid)`);
      expect(appended).toEqual(await entry());
    }
    expect((await entry())!.body).toHaveLength(20_000);
    // A comment that sorts before the last one goes where it belongs.
    await app.database.db.execute(
      sql`insert into comment (thread_id, author_id, body, created_at) values (${threadId}, ${sh.id}, 'Frühe Notiz zum Zeitplan', now() - interval '1 hour')`,
    );
    const inserted = await entry();
    await app.database.db.execute(sql`select nordraum_search_thread(${threadId}::uuid)`);
    expect(inserted).toEqual(await entry());
    expect((await search(sh, 'Zeitplan', '&kind=comment')).length).toBe(1);
    expect((await search(sh, 'Schnittstellenbeschreibung', '&kind=comment')).length).toBe(1);
    expect((await search(sh, 'Leuchtturmprojekt', '&kind=comment')).length).toBe(0);
  });

  it('refuses an empty or over-long query, and asks for a session', async () => {
    expect((await sh.get('/api/search?q=')).status).toBe(400);
    expect((await sh.get('/api/search?q=%20%20')).status).toBe(400);
    expect((await sh.get(`/api/search?q=${'a'.repeat(201)}`)).status).toBe(400);
    expect((await sh.get(`/api/search?q=${'a'.repeat(200)}`)).status).toBe(200);
    expect((await app.anonymous().get('/api/search?q=Maßnahme')).status).toBe(401);
  });

  it('pages through many results with a cursor', async () => {
    const list = await createDocument(sh, room.id, 'actions', 'Viele Maßnahmen');
    const client = await open(app, sh, list.id);
    const actions = actionListOf(client.doc);
    for (let index = 0; index < 25; index += 1) actions.addItem({ title: `Prüfauftrag ${index}` });
    expect(await eventually(async () => (await search(sh, 'Prüfauftrag', '&limit=50')).length === 25)).toBe(true);
    const first = await sh.get('/api/search?q=Prüfauftrag&limit=20');
    expect(first.json.results).toHaveLength(20);
    const rest = await sh.get(`/api/search?q=Prüfauftrag&limit=20&cursor=${first.json.nextCursor}`);
    expect(rest.json.results).toHaveLength(5);
    expect(rest.json.nextCursor).toBeUndefined();
    const titles = [...first.json.results, ...rest.json.results].map((result: Result) => result.title);
    expect(new Set(titles).size).toBe(25);
  });
});
