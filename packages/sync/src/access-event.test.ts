import { describe, expect, it } from 'vitest';
import { type AccessSubject, affects } from './access-event.ts';

const editor: AccessSubject = {
  sessionId: 's1',
  userId: 'u1',
  organizationId: 'o-sh',
  roomId: 'r1',
  documentId: 'd1',
};
const notifications: AccessSubject = { sessionId: 's1', userId: 'u1', organizationId: 'o-sh' };

describe('an access event', () => {
  it('concerns the session, the user and everything of theirs', () => {
    expect(affects({ kind: 'session', sessionId: 's1' }, editor)).toBe(true);
    expect(affects({ kind: 'session', sessionId: 's2' }, editor)).toBe(false);
    expect(affects({ kind: 'user', userId: 'u1' }, notifications)).toBe(true);
  });

  it('about a membership or a grant concerns only that room', () => {
    expect(affects({ kind: 'member', roomId: 'r1', userId: 'u1' }, editor)).toBe(true);
    expect(affects({ kind: 'member', roomId: 'r2', userId: 'u1' }, editor)).toBe(false);
    expect(affects({ kind: 'member', roomId: 'r1', userId: 'u1' }, notifications)).toBe(false);
    expect(affects({ kind: 'grant', roomId: 'r1', organizationId: 'o-sh' }, editor)).toBe(true);
    expect(affects({ kind: 'grant', roomId: 'r1', organizationId: 'o-mv' }, editor)).toBe(false);
  });

  it('about a document concerns its connections; "all" concerns everyone', () => {
    expect(affects({ kind: 'document', documentId: 'd1' }, editor)).toBe(true);
    expect(affects({ kind: 'document', documentId: 'd1' }, notifications)).toBe(false);
    expect(affects({ kind: 'all' }, notifications)).toBe(true);
  });
});
