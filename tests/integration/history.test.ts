import { actionListOf, docOf, notesText } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { documentWithVersion, roomWithDocument, syncTarget } from '../helpers/rooms.ts';
import { connectClient, eventually, type SyncClient, type SyncTarget, untilCommitted } from '../helpers/sync.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: { compactAfter: 50, unloadDelayMs: 100 } });
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => syncTarget(app, client);
const newNotes = (title?: string) => roomWithDocument(app, { room: 'AG Historie', title });

/** A document's versions as the history lists them, `kind:name`, newest first. */
const versionsListed = async (documentId: string): Promise<string[]> =>
  (await app.admin.get(`/api/documents/${documentId}/versions`)).json.versions.map(
    (version: { kind: string; name: string | null }) => `${version.kind}:${version.name}`,
  );

/** How many restores of a document the audit log holds. */
const restoresAudited = async (documentId: string): Promise<number> =>
  (await app.admin.get('/api/admin/audit?action=document.version.restore&limit=500')).json.entries.filter(
    (entry: { targetId: string }) => entry.targetId === documentId,
  ).length;

/** The document's committed content, as a new client would get it. */
const storedText = async (documentId: string) => textOf(await stateOf(app.admin, `/api/documents/${documentId}/state`));

async function stateOf(client: ApiClient, path: string): Promise<Uint8Array> {
  const response = await fetch(app.url + path, { headers: { cookie: client.cookie ?? '' } });
  expect(response.headers.get('content-type')).toBe('application/octet-stream');
  return new Uint8Array(await response.arrayBuffer());
}

const textOf = (state: Uint8Array) => notesText(docOf(state));

function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

async function connected(client: ApiClient, documentId: string): Promise<SyncClient> {
  const sync = connectClient(as(client), documentId);
  await sync.synced();
  return sync;
}

describe('a version', () => {
  it('reads exactly as it was after 600 more edits and a compaction', async () => {
    const { documentId } = await newNotes();
    const writer = await connected(app.admin, documentId);
    writeParagraphs(writer.doc, ['Stand Lenkungskreis 12.03.', 'Maßnahmen für Schleswig-Holstein']);
    await untilCommitted(as(app.admin), documentId, writer.doc);

    const created = await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'Stand Lenkungskreis' });
    expect(created.status).toBe(201);
    const { version } = created.json;
    expect(version).toMatchObject({ name: 'Stand Lenkungskreis', kind: 'manual', createdBy: { id: app.admin.id } });
    const path = `/api/documents/${documentId}/versions/${version.id}/state`;
    const saved = await stateOf(app.admin, path);
    expect(saved.byteLength).toBe(version.bytes);

    for (let i = 0; i < 600; i += 1) paragraphText(writer.doc, 1).insert(0, `${i % 10}`);
    const logged = async () =>
      (
        await app.database.pool.query(
          'select coalesce((select seq from doc_snapshot where document_id = $1), 0) as snapshot, update_seq from document where id = $1',
          [documentId],
        )
      ).rows[0] as { snapshot: string; update_seq: string };
    // The last of the 600 is committed; then closing the document folds the whole log into a snapshot.
    expect(await eventually(async () => Number((await logged()).update_seq) >= 601, 20_000)).toBe(true);
    writer.destroy();
    expect(await eventually(async () => Number((await logged()).snapshot) >= 601, 20_000)).toBe(true);

    expect(await stateOf(app.admin, path)).toEqual(saved);
    expect(textOf(saved)).toBe('Stand Lenkungskreis 12.03.\nMaßnahmen für Schleswig-Holstein');
  });

  it('is stored compressed and read as the Yjs state, as is one stored before states were compressed', async () => {
    const { documentId } = await newNotes();
    const writer = await connected(app.admin, documentId);
    writeParagraphs(
      writer.doc,
      Array.from({ length: 40 }, (_, index) => `Absatz ${index}: Termine und Zuständigkeiten der Arbeitsgruppe`),
    );
    await untilCommitted(as(app.admin), documentId, writer.doc);
    const { version } = (await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'Stand' })).json;
    writer.destroy();
    const stored = (
      await app.database.pool.query('select state_encoding, state from doc_version where id = $1', [version.id])
    ).rows[0] as { state_encoding: string | null; state: Buffer };
    expect(stored.state_encoding).toBe('zstd');
    expect(stored.state.byteLength).toBeLessThan(version.bytes);
    const state = await stateOf(app.admin, `/api/documents/${documentId}/versions/${version.id}/state`);
    expect(state.byteLength).toBe(version.bytes);
    expect(textOf(state)).toContain('Absatz 39: Termine');

    const old = (
      await app.database.pool.query(
        `insert into doc_version (document_id, kind, name, seq, state, bytes) values ($1, 'manual', 'Alt', 1, $2, $3) returning id`,
        [documentId, Buffer.from(state), state.byteLength],
      )
    ).rows[0] as { id: string };
    expect(await stateOf(app.admin, `/api/documents/${documentId}/versions/${old.id}/state`)).toEqual(state);
  });
});

describe('restoring a version', () => {
  it('reaches two connected clients live, keeps the state before, and merges an offline edit afterwards', async () => {
    const { documentId } = await newNotes();
    const [first, second, offline] = (await Promise.all([1, 2, 3].map(() => connected(app.admin, documentId)))) as [
      SyncClient,
      SyncClient,
      SyncClient,
    ];
    writeParagraphs(first.doc, ['Anfang', 'Stand Lenkungskreis', 'Ende']);
    expect(await eventually(() => notesText(offline.doc) === notesText(first.doc))).toBe(true);
    const { version } = (await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'Vorher' })).json;

    offline.provider.disconnect();
    paragraphText(offline.doc, 0).insert(6, ' (offline ergänzt)');
    paragraphText(first.doc, 1).delete(0, 'Stand Lenkungskreis'.length);
    paragraphText(first.doc, 1).insert(0, 'Ein schlechter Nachmittag');
    expect(await eventually(() => notesText(second.doc).includes('schlechter'))).toBe(true);
    const sockets = [first, second].map((client) => client.provider.ws);

    const restored = await app.admin.post(`/api/documents/${documentId}/versions/${version.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.json.version).toMatchObject({ kind: 'restore', createdBy: { id: app.admin.id } });

    const wanted = 'Anfang\nStand Lenkungskreis\nEnde';
    for (const client of [first, second]) expect(await eventually(() => notesText(client.doc) === wanted)).toBe(true);
    // Live, over the sockets they had: nobody reconnected.
    expect([first, second].map((client) => client.provider.ws)).toEqual(sockets);
    expect([...first.closes, ...second.closes]).toEqual([]);
    const kept = await stateOf(app.admin, `/api/documents/${documentId}/versions/${restored.json.version.id}/state`);
    expect(textOf(kept)).toBe('Anfang\nEin schlechter Nachmittag\nEnde');

    offline.provider.connect();
    const merged = 'Anfang (offline ergänzt)\nStand Lenkungskreis\nEnde';
    for (const client of [first, second, offline])
      expect(await eventually(() => notesText(client.doc) === merged)).toBe(true);

    const audit = await app.admin.get('/api/admin/audit?action=document.version.restore');
    expect(audit.json.entries).toContainEqual(
      expect.objectContaining({
        targetId: documentId,
        details: { versionId: version.id, keptVersionId: restored.json.version.id },
      }),
    );
    for (const client of [first, second, offline]) client.destroy();
  });

  it('restores a document nobody has open, through the log', async () => {
    const { documentId, version, writer } = await documentWithVersion(app);
    writer.destroy();
    expect(await eventually(() => !app.sync!.loadedDocuments().includes(documentId))).toBe(true);

    expect((await app.admin.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(200);

    const reader = await connected(app.admin, documentId);
    expect(await eventually(() => notesText(reader.doc) === 'Erster Stand')).toBe(true);
    reader.destroy();
  });
});

/** Runs `act` while the audit log refuses `action` for one document (as a full disk or a bad row would). */
async function withAuditRefused(action: string, documentId: string, act: () => Promise<void>) {
  const constraint = `refuse_${action.replaceAll('.', '_')}`;
  await app.database.pool.query(
    `alter table audit_log add constraint ${constraint} check (action <> '${action}' or target_id <> '${documentId}')`,
  );
  try {
    await act();
  } finally {
    await app.database.pool.query(`alter table audit_log drop constraint ${constraint}`);
  }
}

describe('a version named', () => {
  it('is answered exactly as the history lists it, its time in ISO form with milliseconds', async () => {
    const { documentId } = await newNotes();
    const named = (await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'Stand Juni' })).json.version;
    expect(named.createdAt).toBe(new Date(named.createdAt).toISOString());
    const listed = (await app.admin.get(`/api/documents/${documentId}/versions`)).json.versions;
    expect(listed).toEqual([named]);
  });
});

describe('a version whose audit entry cannot be written', () => {
  it('is not named', async () => {
    const { documentId } = await newNotes();
    await withAuditRefused('document.version.create', documentId, async () => {
      expect((await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'Ohne Eintrag' })).status).toBe(
        500,
      );
    });
    expect(await versionsListed(documentId)).toEqual([]);
    expect((await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'Mit Eintrag' })).status).toBe(201);
    expect(await versionsListed(documentId)).toEqual(['manual:Mit Eintrag']);
  });

  it('is not restored: no version kept, the live document unchanged', async () => {
    const { documentId, version, writer } = await documentWithVersion(app);

    await withAuditRefused('document.version.restore', documentId, async () => {
      expect((await app.admin.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(500);
    });
    expect(await storedText(documentId)).toBe('Zweiter Stand');
    expect(await versionsListed(documentId)).toEqual(['manual:Eins']);

    expect((await app.admin.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(200);
    expect(await eventually(() => notesText(writer.doc) === 'Erster Stand')).toBe(true);
    expect(await versionsListed(documentId)).toEqual(['restore:null', 'manual:Eins']);
    writer.destroy();
  });
});

/** Runs `act` while the update log refuses new edits of one document (as a full disk or a bad row would). */
async function withEditsRefused(documentId: string, act: () => Promise<void>) {
  const constraint = `refuse_edits_${documentId.replaceAll('-', '_')}`;
  // Not valid: the edits stored before stay; only new ones are refused.
  await app.database.pool.query(
    `alter table doc_update add constraint ${constraint} check (document_id <> '${documentId}') not valid`,
  );
  try {
    await act();
  } finally {
    await app.database.pool.query(`alter table doc_update drop constraint ${constraint}`);
  }
}

describe('a restore whose edits cannot be stored', () => {
  it('keeps no version and no audit entry, and leaves the document as it was', async () => {
    const { documentId, version, writer } = await documentWithVersion(app);

    await withEditsRefused(documentId, async () => {
      expect((await app.admin.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(500);
    });
    expect(await versionsListed(documentId)).toEqual(['manual:Eins']);
    expect(await restoresAudited(documentId)).toBe(0);
    expect(await storedText(documentId)).toBe('Zweiter Stand');
    writer.destroy();

    // Once edits can be stored again, the same restore goes through and is recorded once.
    expect((await app.admin.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(200);
    expect(await versionsListed(documentId)).toEqual(['restore:null', 'manual:Eins']);
    expect(await restoresAudited(documentId)).toBe(1);
    expect(await storedText(documentId)).toBe('Erster Stand');
  });
});

/**
 * Runs `act` while every transaction that writes a version of one document fails at its COMMIT (a
 * deferred constraint trigger, checked only then), as a COMMIT refused by a full disk would.
 */
async function withVersionCommitsRefused(documentId: string, act: () => Promise<void>) {
  const name = `refuse_version_commit_${documentId.replaceAll('-', '_')}`;
  await app.database.pool.query(`
    create function ${name}() returns trigger language plpgsql as $$
      begin raise exception 'version commits refused'; end $$;
    create constraint trigger ${name} after insert on doc_version deferrable initially deferred
      for each row when (new.document_id = '${documentId}') execute function ${name}();`);
  try {
    await act();
  } finally {
    await app.database.pool.query(`drop trigger ${name} on doc_version; drop function ${name}();`);
  }
}

describe('a restore whose record cannot be committed', () => {
  it('leaves the document as it was, with no version and no audit entry', async () => {
    const { documentId, version, writer } = await documentWithVersion(app);
    writer.destroy();
    const logged = async () => {
      const { rows } = await app.database.pool.query('select update_seq::int as seq from document where id = $1', [
        documentId,
      ]);
      return (rows[0] as { seq: number }).seq;
    };
    const edits = await logged();

    await withVersionCommitsRefused(documentId, async () => {
      expect((await app.admin.post(`/api/documents/${documentId}/versions/${version.id}/restore`)).status).toBe(500);
    });
    expect(await storedText(documentId)).toBe('Zweiter Stand');
    expect(await logged()).toBe(edits);
    expect(await versionsListed(documentId)).toEqual(['manual:Eins']);
    expect(await restoresAudited(documentId)).toBe(0);
  });
});

describe('comparing versions', () => {
  it('answers inserted and deleted text with a count, against a version or the current state', async () => {
    const { documentId } = await newNotes();
    const writer = await connected(app.admin, documentId);
    writeParagraphs(writer.doc, ['Die Übung findet statt.']);
    await untilCommitted(as(app.admin), documentId, writer.doc);
    const first = (await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'A' })).json.version;
    paragraphText(writer.doc, 0).insert('Die Übung'.length, ' in Schwerin');
    await untilCommitted(as(app.admin), documentId, writer.doc);
    const second = (await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'B' })).json.version;
    writer.destroy();

    for (const against of ['current', second.id]) {
      const response = await app.admin.get(
        `/api/documents/${documentId}/versions/${first.id}/changes?against=${against}`,
      );
      expect(response.status).toBe(200);
      expect(response.json.changes.summary).toEqual({ added: 1, removed: 0, changed: 0 });
      const inserted = response.json.changes.items.filter((item: { op: string }) => item.op === 'inserted');
      expect(inserted.map((item: { text: string }) => item.text.trim())).toEqual(['in Schwerin']);
    }
    const list = (await app.admin.get(`/api/documents/${documentId}/versions`)).json.versions;
    expect(list.map((version: { name: string }) => version.name)).toEqual(['B', 'A']);
  });
});

describe('the history of an action list', () => {
  it('names owners in the comparison and restores items while a client is connected', async () => {
    const room = (await app.admin.post('/api/rooms', { name: 'AG Maßnahmen' })).json.room;
    const listId = (await app.admin.post(`/api/rooms/${room.id}/documents`, { kind: 'actions', title: 'M' })).json
      .document.id as string;
    const anna = await app.user('SH', { name: 'Anna Ahrens' });
    const bernd = await app.user('MV', { name: 'Bernd Berg' });
    for (const person of [anna, bernd])
      await app.admin.put(`/api/rooms/${room.id}/members/${person.id}`, { role: 'editor' });
    const client = await connected(app.admin, listId);
    const list = actionListOf(client.doc);
    const id = list.addItem({ title: 'Bericht an den Lenkungskreis', ownerId: anna.id, due: '2027-03-01' });
    await untilCommitted(as(app.admin), listId, client.doc);
    const { version } = (await app.admin.post(`/api/documents/${listId}/versions`, { name: 'Vorher' })).json;
    list.updateItem(id, { ownerId: bernd.id, due: '2027-06-30' });
    await untilCommitted(as(app.admin), listId, client.doc);

    const { changes } = (await app.admin.get(`/api/documents/${listId}/versions/${version.id}/changes`)).json;
    expect(changes.items).toEqual([
      expect.objectContaining({
        kind: 'action',
        change: 'changed',
        aspects: ['reassigned', 'redated'],
        fields: [
          { field: 'owner', before: 'Anna Ahrens (SH)', after: 'Bernd Berg (MV)' },
          { field: 'due', before: '2027-03-01', after: '2027-06-30' },
        ],
      }),
    ]);

    expect((await app.admin.post(`/api/documents/${listId}/versions/${version.id}/restore`)).status).toBe(200);
    expect(await eventually(() => list.item(id)?.ownerId === anna.id && list.item(id)?.due === '2027-03-01')).toBe(
      true,
    );
    client.destroy();
  });
});

describe('who may use the history', () => {
  it('lets readers list, read and compare, and only editors and owners name and restore', async () => {
    const { roomId, documentId } = await newNotes();
    const version = (await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'Basis' })).json.version;
    const other = await newNotes('Anderes');
    const members: Record<string, ApiClient> = { owner: app.admin };
    for (const role of ['editor', 'commenter', 'viewer']) {
      members[role] = await app.user(role === 'editor' ? 'MV' : 'SH');
      await app.admin.put(`/api/rooms/${roomId}/members/${(members[role] as ApiClient & { id: string }).id}`, { role });
    }
    members.outsider = await app.user('NI');
    members.anonymous = app.anonymous();
    const base = `/api/documents/${documentId}/versions`;
    const routes: [string, (client: ApiClient) => Promise<{ status: number }>, number[]][] = [
      ['list', (c) => c.get(base), [200, 200, 200, 200, 404, 401]],
      ['name', (c) => c.post(base, { name: 'Neu' }), [201, 201, 403, 403, 404, 401]],
      ['state', (c) => c.get(`${base}/${version.id}/state`), [200, 200, 200, 200, 404, 401]],
      ['changes', (c) => c.get(`${base}/${version.id}/changes?against=current`), [200, 200, 200, 200, 404, 401]],
      ['restore', (c) => c.post(`${base}/${version.id}/restore`), [200, 200, 403, 403, 404, 401]],
    ];
    const order = ['owner', 'editor', 'commenter', 'viewer', 'outsider', 'anonymous'];
    for (const [name, call, expected] of routes) {
      const statuses = [];
      for (const who of order) statuses.push((await call(members[who]!)).status);
      expect({ name, statuses }).toEqual({ name, statuses: expected });
    }

    const refused = await app.admin.post(base, { name: '' });
    expect(refused.status).toBe(400);
    expect(refused.json.error.fields).toHaveProperty('name');
    expect((await app.admin.post(base, { name: 'x'.repeat(201) })).status).toBe(400);
    expect((await app.admin.post(base, { name: 'x'.repeat(200) })).status).toBe(201);
    // A version of another document is not found through this one.
    const foreign = (await app.admin.post(`/api/documents/${other.documentId}/versions`, { name: 'F' })).json.version;
    expect((await app.admin.get(`${base}/${foreign.id}/state`)).status).toBe(404);
    expect((await app.admin.get(`${base}/${version.id}/changes?against=${foreign.id}`)).status).toBe(404);
    expect((await app.admin.get(`${base}/${version.id}/changes?against=yesterday`)).status).toBe(400);
  });
});
