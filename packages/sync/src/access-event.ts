/** Something changed that may change what an open connection (or live stream) may do. */
export type AccessEvent =
  | { kind: 'session'; sessionId: string }
  | { kind: 'user'; userId: string }
  | { kind: 'member'; roomId: string; userId: string }
  | { kind: 'grant'; roomId: string; organizationId: string }
  | { kind: 'document'; documentId: string }
  | { kind: 'all' };

/** Whose access an event may concern: a connection's identity, a live stream. */
export interface AccessSubject {
  sessionId: string;
  userId: string;
  organizationId: string;
  /** Unset for something that belongs to no room (a person's notification stream). */
  roomId?: string;
  documentId?: string;
}

/** Whether an access change concerns a subject. */
export function affects(event: AccessEvent, subject: AccessSubject): boolean {
  switch (event.kind) {
    case 'session':
      return subject.sessionId === event.sessionId;
    case 'user':
      return subject.userId === event.userId;
    case 'member':
      return subject.roomId === event.roomId && subject.userId === event.userId;
    case 'grant':
      return subject.roomId === event.roomId && subject.organizationId === event.organizationId;
    case 'document':
      return subject.documentId === event.documentId;
    default:
      return true;
  }
}
