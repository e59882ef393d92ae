import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';

// A local SMTP sink: what the operator's mail server would receive.
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

describe('invitations by e-mail when SMTP_URL is set', () => {
  it('mails the link, and still shows it', async () => {
    const sh = (await app.admin.get('/api/organizations')).json.organizations.find(
      (o: { code: string }) => o.code === 'SH',
    );
    const room = (await app.admin.post('/api/rooms', { name: 'AG Post' })).json.room;
    const created = await app.admin.post('/api/invitations', {
      email: 'post@sh.example',
      organizationId: sh.id,
      roomId: room.id,
      role: 'editor',
    });
    expect(created.status).toBe(201);
    expect(created.json.invitation.mailed).toBe(true);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.to).toEqual(['post@sh.example']);
    const body = sink.received[0]!.data.replace(/=\r?\n/g, '');
    expect(body).toContain(created.json.invitation.link);
  });
});
