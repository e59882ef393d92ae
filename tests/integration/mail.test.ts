import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

// A local SMTP sink: what the operator's mail server would receive.
const received: { to: string[]; data: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    let data = '';
    stream.on('data', (chunk) => {
      data += chunk;
    });
    stream.on('end', () => {
      received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
      callback();
    });
  },
});

let app: TestApp;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  app = await startTestApp({ smtpUrl: `smtp://127.0.0.1:${port}` });
});
afterAll(async () => {
  await app.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
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
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['post@sh.example']);
    const body = received[0]!.data.replace(/=\r?\n/g, '');
    expect(body).toContain(created.json.invitation.link);
  });
});
