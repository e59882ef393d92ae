import type { RoomRole } from '@nordraum/domain';
import { writeParagraphs } from '../../packages/domain/src/history/test-docs.ts';
import type { ApiClient, TestApp } from './app.ts';
import { connectClient, type SyncClient, type SyncTarget, untilCommitted } from './sync.ts';

/** Where `client` connects to `app`'s /sync, as itself. */
export const syncTarget = (
  app: Pick<TestApp, 'url' | 'origin'>,
  client: { cookie: string | undefined },
): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

/** A member a test room gets: a new user of the organisation with this code. */
export interface NewMember {
  organization: string;
  name: string;
  role: RoomRole;
}

/** Options for {@link roomWithDocument}; defaults in parentheses. */
export interface RoomWithDocumentOptions<M extends readonly NewMember[]> {
  /** The room's name ("AG Test"). */
  room?: string;
  /** The notes document's title ("Protokoll"). */
  title?: string;
  /** Members added in this order (none). */
  members?: M;
}

/** A logged-in client of a new user. */
type Person = ApiClient & { id: string; email: string };

/**
 * A room of the admin's with one notes document and new members, answered in the order given:
 * where socket and history tests start.
 */
export async function roomWithDocument<const M extends readonly NewMember[] = []>(
  app: TestApp,
  options: RoomWithDocumentOptions<M> = {},
): Promise<{ roomId: string; documentId: string; members: { [K in keyof M]: Person } }> {
  const roomId: string = (await app.admin.post('/api/rooms', { name: options.room ?? 'AG Test' })).json.room.id;
  const documentId: string = (
    await app.admin.post(`/api/rooms/${roomId}/documents`, { kind: 'notes', title: options.title ?? 'Protokoll' })
  ).json.document.id;
  const members: Person[] = [];
  for (const { organization, name, role } of options.members ?? []) {
    const member = await app.user(organization, { name });
    await app.admin.put(`/api/rooms/${roomId}/members/${member.id}`, { role });
    members.push(member);
  }
  return { roomId, documentId, members: members as { [K in keyof M]: Person } };
}

/**
 * A notes document of the admin's with a version named "Eins" of its first state ("Erster
 * Stand"), and edited since ("Zweiter Stand"), both committed: what a restore starts from. The
 * writer stays connected; the caller destroys it.
 */
export async function documentWithVersion(app: TestApp) {
  const { roomId, documentId } = await roomWithDocument(app, { room: 'AG Historie' });
  const target = syncTarget(app, app.admin);
  const writer: SyncClient = connectClient(target, documentId);
  await writer.synced();
  writeParagraphs(writer.doc, ['Erster Stand']);
  await untilCommitted(target, documentId, writer.doc);
  const version: { id: string } = (await app.admin.post(`/api/documents/${documentId}/versions`, { name: 'Eins' })).json
    .version;
  writeParagraphs(writer.doc, ['Zweiter Stand']);
  await untilCommitted(target, documentId, writer.doc);
  return { roomId, documentId, version, writer };
}
