import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type EventStream, openEvents } from '../helpers/events.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: { limits: { maxConnectionsPerUser: 3 } } });
});
afterAll(() => app.close());

it('refuses a member a live stream beyond the cap with 429, and admits one again once another closed', async () => {
  const member = await app.user('SH');
  const other = await app.user('MV');
  const open: EventStream[] = [];
  for (let i = 0; i < 3; i++) {
    const stream = await openEvents(member, '/api/notifications/events');
    expect(stream.status).toBe(200);
    await stream.next('unread');
    open.push(stream);
  }
  const refused = await fetch(`${app.url}/api/notifications/events`, {
    headers: { accept: 'text/event-stream', cookie: member.cookie! },
  });
  expect(refused.status).toBe(429);
  expect((await refused.json()).error.code).toBe('rate_limited');
  // The cap is the member's, not everyone's.
  const theirs = await openEvents(other, '/api/notifications/events');
  expect(theirs.status).toBe(200);
  theirs.close();

  open.pop()!.close();
  // The server counts the stream out once it notices the client went away.
  let again: EventStream | undefined;
  await expect
    .poll(async () => {
      again = await openEvents(member, '/api/notifications/events');
      if (again.status !== 200) again.close();
      return again.status;
    })
    .toBe(200);
  await again!.next('unread');
  for (const stream of [...open, again!]) stream.close();
});
