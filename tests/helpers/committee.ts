import type { ApiClient, TestApp } from './app.ts';

/** A person the tests act as. */
export type Person = ApiClient & { id: string; email: string };

/**
 * A steering committee's room ("Lenkungskreis Nord"): an SH owner, an MV editor, an MV commenter,
 * a Dataport viewer, and an NI outsider who is not a member.
 */
export async function committeeRoom(app: TestApp) {
  const [owner, editor, commenter, viewer, outsider] = await Promise.all([
    app.user('SH', { name: 'Svea Sievers' }),
    app.user('MV', { name: 'Malte Meier' }),
    app.user('MV', { name: 'Mona Lenk' }),
    app.user('DATAPORT', { name: 'Vera Viewer' }),
    app.user('NI', { name: 'Otto Außen' }),
  ]);
  const roomId: string = (await owner.post('/api/rooms', { name: 'Lenkungskreis Nord' })).json.room.id;
  for (const [person, role] of [
    [editor, 'editor'],
    [commenter, 'commenter'],
    [viewer, 'viewer'],
  ] as const)
    await owner.put(`/api/rooms/${roomId}/members/${person.id}`, { role });
  return { owner, editor, commenter, viewer, outsider, roomId };
}
