import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceVersionChanges, createAutoVersioner } from '../../apps/server/src/auto-versions.ts';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import { ApiClient, type TestApp } from '../helpers/app.ts';
import { roomWithEveryRole, startTestApp } from '../helpers/comments.ts';
import { openEvents } from '../helpers/events.ts';
import { connectClient, eventually } from '../helpers/sync.ts';

// An open history list follows what others do, on whichever instance they do it: two instances
// on one PostgreSQL, as behind a load balancer.
let first: TestApp;
let second: TestApp;
beforeAll(async () => {
  first = await startTestApp({ sync: {} });
  second = await startTestApp({ database: first.database, sync: {} });
});
afterAll(async () => {
  await second.close();
  await first.close();
});

/** The same browser session, talking to the other instance. */
function on(app: TestApp, client: ApiClient) {
  const other = new ApiClient(app.url);
  other.cookie = client.cookie;
  return other;
}

const silent = { warn: () => {} };

describe('live version events', () => {
  it('tell a reader on another instance of a named version and of a restore within a second', async () => {
    const { document, clients } = await roomWithEveryRole(first);
    const stream = await openEvents(on(second, clients.viewer), `/api/documents/${document.id}/events`);
    await stream.next('threads');

    // Counted from the answer: what the naming itself takes (a loaded machine starts the state
    // worker slowly) is not the event's delivery.
    const named = (await clients.editor.post(`/api/documents/${document.id}/versions`, { name: 'Stand LK 12.03.' }))
      .json.version;
    let sentAt = Date.now();
    const arrived = await stream.next('version', (d) => d.version.id === named.id);
    expect(arrived.at - sentAt).toBeLessThan(1_000);
    expect(arrived.data.version).toEqual(named);
    // The list (written as JSON by PostgreSQL) shows it exactly as the answer did.
    const listed = (await clients.viewer.get(`/api/documents/${document.id}/versions`)).json.versions;
    expect(listed).toEqual([named]);

    const kept = (await clients.owner.post(`/api/documents/${document.id}/versions/${named.id}/restore`)).json.version;
    sentAt = Date.now();
    const restored = await stream.next('version', (d) => d.version.id === kept.id);
    expect(restored.at - sentAt).toBeLessThan(1_000);
    expect(restored.data.version).toMatchObject({ kind: 'restore', createdBy: { id: clients.owner.id } });
    stream.close();
  });

  it('tell them of an automatic version written on another instance, and of thinning', async () => {
    const { document, clients } = await roomWithEveryRole(first);
    const stream = await openEvents(on(second, clients.commenter), `/api/documents/${document.id}/events`);
    await stream.next('threads');
    const target = { url: first.url, origin: first.origin, cookie: clients.editor.cookie };
    const writer = connectClient(target, document.id);
    await writer.synced();
    writeParagraphs(writer.doc, ['Workshop Schwerin']);
    const seq = async () =>
      Number(
        (await first.database.pool.query('select update_seq from document where id = $1', [document.id])).rows[0]
          .update_seq,
      );
    expect(await eventually(async () => (await seq()) > 0, 10_000)).toBe(true);

    const versioner = createAutoVersioner({
      db: first.database.db,
      sync: first.sync!,
      log: silent,
      quietMs: 200,
      onChanged: announceVersionChanges(first.live, silent),
    });
    expect(await eventually(async () => (await versioner.runOnce()) === 1, 10_000)).toBe(true);
    const auto = await stream.next('version', (d) => d.version.kind === 'auto');
    expect(auto.data.version).toMatchObject({ name: null, createdBy: null });

    // An automatic version of two days ago, and one an hour after it: thinning keeps one.
    await first.database.pool.query(
      `insert into doc_version (document_id, kind, seq, state, bytes, created_at)
       select $1, 'auto', -s, '\\x0000', 2, date_trunc('hour', now() - interval '48 hours') + make_interval(mins => s)
       from generate_series(1, 2) s`,
      [document.id],
    );
    writeParagraphs(writer.doc, ['Ergebnisse']);
    expect(await eventually(async () => (await versioner.runOnce()) === 1, 10_000)).toBe(true);
    await stream.next('versions');
    writer.destroy();
    stream.close();
  });
});
