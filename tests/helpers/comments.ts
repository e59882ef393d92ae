import * as Y from 'yjs';
import { type ApiClient, startTestApp, type TestApp } from './app.ts';

/** A base64 relative position at `index` of a notes fragment (as the web editor sends it). */
export function positionAt(fragment: Y.XmlFragment | Y.XmlText, index: number, assoc = 0): string {
  return Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(fragment, index, assoc))).toString(
    'base64',
  );
}

/** A text anchor over a fresh notes fragment (the server only checks that it decodes). */
export function someTextAnchor(quote = 'Registermodernisierung') {
  const doc = new Y.Doc();
  const text = new Y.XmlText(quote);
  doc.getXmlFragment('default').insert(0, [text]);
  return { type: 'text' as const, start: positionAt(text, 0), end: positionAt(text, quote.length, -1), quote };
}

/** The paragraph text at `index` of a notes document written by `writeParagraphs`. */
export function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

/**
 * A text anchor on the first `words` in paragraph `index` of a live notes document, encoded as the
 * web editor encodes a selection (both ends associated with the character before).
 */
export function passageAnchor(doc: Y.Doc, index: number, words: string) {
  const text = paragraphText(doc, index);
  const from = text.toString().indexOf(words);
  if (from < 0) throw new Error(`"${words}" is not in paragraph ${index}`);
  return {
    type: 'text' as const,
    start: positionAt(text, from, -1),
    end: positionAt(text, from + words.length, -1),
    quote: words,
  };
}

export type Who = 'owner' | 'editor' | 'commenter' | 'viewer' | 'outsider' | 'admin';
export const everyone: Who[] = ['owner', 'editor', 'commenter', 'viewer', 'outsider', 'admin'];
export type Member = ApiClient & { id: string; email: string };

/** A room (SH) with one person per role, an MV outsider, the admin, and a document of `kind`. */
export async function roomWithEveryRole(app: TestApp, kind: 'notes' | 'roadmap' | 'actions' = 'notes') {
  const owner = await app.user('SH', { name: 'Olga Owner' });
  const room = (await owner.post('/api/rooms', { name: 'AG Kommentare' })).json.room;
  const clients = { owner, admin: app.admin } as Record<Who, Member>;
  for (const role of ['editor', 'commenter', 'viewer'] as const) {
    const user = await app.user(role === 'commenter' ? 'MV' : 'SH', { name: `Role ${role}` });
    const set = await owner.put(`/api/rooms/${room.id}/members/${user.id}`, { role });
    if (set.status !== 200) throw new Error(`could not add ${role}`);
    clients[role] = user;
  }
  clients.outsider = await app.user('MV', { name: 'Otto Outsider' });
  const document = (await owner.post(`/api/rooms/${room.id}/documents`, { kind, title: 'Protokoll Workshop' })).json
    .document;
  return { room, document, clients };
}

/** Opens a thread and returns it; throws unless created. */
export async function openThread(
  client: ApiClient,
  documentId: string,
  body = 'Bitte prüfen',
  anchor: object = { type: 'document' },
) {
  const response = await client.post(`/api/documents/${documentId}/threads`, { body, anchor });
  if (response.status !== 201) throw new Error(`thread: ${response.status} ${response.text}`);
  return response.json.thread as { id: string; comments: { id: string }[] };
}

export { startTestApp };
