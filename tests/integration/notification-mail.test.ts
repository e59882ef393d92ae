import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { openThread, roomWithEveryRole, startTestApp } from '../helpers/comments.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';

let app: TestApp;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestApp({ smtpUrl: sink.url });
});
afterAll(async () => {
  await app.close();
  await sink.close();
});

const mailsTo = (email: string) => sink.mailsTo(email);

async function mentionedIn(language: 'de' | 'en') {
  const world = await roomWithEveryRole(app);
  const { viewer, editor } = world.clients;
  await viewer.patch('/api/me', { locale: language });
  const thread = await openThread(editor, world.document.id, `Bitte prüfen, @[Viewer](${viewer.id})`);
  return { ...world, thread };
}

describe('notification e-mails', () => {
  it('mails a mention at once, in German, as text and HTML, with the link and no other address', async () => {
    const { clients, document, thread } = await mentionedIn('de');
    await expect.poll(() => mailsTo(clients.viewer.email).filter((m) => m.data.includes('erwähnt')).length).toBe(1);
    const mail = mailsTo(clients.viewer.email).find((m) => m.data.includes('erwähnt'))!.data;
    expect(mail).toContain('text/plain');
    expect(mail).toContain('text/html');
    expect(mail).toContain(`${app.url}/documents/${document.id}?thread=${thread.id}`);
    expect(mail).toContain('Role editor');
    for (const other of [clients.editor, clients.owner, clients.commenter]) expect(mail).not.toContain(other.email);
    // Writers get nothing for their own comment.
    expect(mailsTo(clients.editor.email).filter((m) => m.data.includes('Bitte'))).toEqual([]);
  });

  it('writes in English to someone who chose English', async () => {
    const { clients } = await mentionedIn('en');
    await expect
      .poll(() => mailsTo(clients.viewer.email).filter((m) => m.data.includes('mentioned you')).length)
      .toBe(1);
  });

  it('collects kinds chosen for the daily summary into one mail, and sends nothing for kinds turned off', async () => {
    const world = await roomWithEveryRole(app);
    const { commenter: viewer, editor, owner: commenter } = world.clients;
    const put = await viewer.put('/api/notifications/preferences', { preferences: { mention: 'daily', reply: 'off' } });
    expect(put.json.preferences).toMatchObject({ mention: 'daily', reply: 'off', action_due: 'daily' });
    const thread = await openThread(viewer, world.document.id, 'Meine Frage');
    await openThread(editor, world.document.id, `Erstens @[V](${viewer.id})`);
    await openThread(commenter, world.document.id, `Zweitens @[V](${viewer.id})`);
    await editor.post(`/api/threads/${thread.id}/comments`, { body: 'Eine Antwort' });
    await app.jobs.run();
    expect(mailsTo(viewer.email).filter((m) => !m.data.includes('zum Datenraum'))).toEqual([]);
    expect(await app.jobs.sendDigests()).toBeGreaterThanOrEqual(1);
    const summaries = mailsTo(viewer.email).filter((m) => m.data.includes('des Tages'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.data).toContain('Erstens');
    expect(summaries[0]!.data).toContain('Zweitens');
    expect(summaries[0]!.data).not.toContain('Eine Antwort');
    expect(await app.jobs.sendDigests()).toBe(0);
  });

  it('saves the comment while the mail server does not answer, and sends the mail once it does', async () => {
    const world = await roomWithEveryRole(app);
    const { viewer, editor } = world.clients;
    await app.jobs.run();
    sink.hold();
    try {
      // Resolves only if saving does not wait for the mail: the server holds it unanswered.
      await openThread(editor, world.document.id, `Dringend @[V](${viewer.id})`);
      await expect.poll(() => sink.heldCount()).toBe(1);
      expect(mailsTo(viewer.email).filter((m) => m.data.includes('Dringend'))).toEqual([]);
    } finally {
      sink.release();
    }
    await expect.poll(() => mailsTo(viewer.email).filter((m) => m.data.includes('Dringend')).length).toBe(1);
  });

  it('retries a mail the server refused', async () => {
    const world = await roomWithEveryRole(app);
    const { viewer, editor } = world.clients;
    await app.jobs.run();
    sink.refuseNext(2);
    await openThread(editor, world.document.id, `Wichtig @[V](${viewer.id})`);
    await expect.poll(() => sink.refusalsLeft()).toBe(1);
    // The queue tries again (here at once; in production after 30 s, doubling).
    await app.jobs.run();
    await app.jobs.run();
    await expect.poll(() => mailsTo(viewer.email).filter((m) => m.data.includes('Wichtig')).length).toBe(1);
  });
});
