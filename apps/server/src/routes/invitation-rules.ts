import type { ValidSession } from '@nordraum/auth';
import { type Database, findCredentials, findOrganization } from '@nordraum/db';
import { AppError, type schemas, strongerRole } from '@nordraum/domain';
import type { z } from 'zod';
import { authorizeRoom } from '../http/access.ts';

/**
 * Who may invite whom: admins anyone, anywhere. A room owner only into their own room, with a role
 * up to their own, and only into their own organisation: placing someone in another Land or
 * provider is an administrator's decision.
 */
export async function mayInvite(
  db: Database,
  session: ValidSession,
  body: z.infer<typeof schemas.createInvitationBody>,
) {
  const { isAdmin } = session.user;
  if (!body.roomId && !isAdmin)
    throw new AppError('forbidden', 'Only administrators may invite people without a room.');
  if (body.roomId && !body.role)
    throw new AppError('validation_failed', 'Choose a role in the room.', { fields: { role: 'required with a room' } });
  const room = body.roomId ? await authorizeRoom(db, session, body.roomId, 'room.members.manage') : null;
  if (!isAdmin && room && body.role && strongerRole(body.role, room.role) !== room.role) {
    throw new AppError('forbidden', 'You can invite with roles up to your own in this room.', {
      fields: { role: 'above your own role' },
    });
  }
  if (!isAdmin && body.organizationId !== session.user.organization.id) {
    throw new AppError('forbidden', 'Only administrators may invite people into another organisation.', {
      fields: { organizationId: 'not your organisation' },
    });
  }
  if (!(await findOrganization(db, { id: body.organizationId }))) {
    throw new AppError('validation_failed', 'Unknown organisation.', {
      fields: { organizationId: 'unknown organisation' },
    });
  }
}

/** 409 when the address has an account already: add that person to the room instead. */
export async function refuseExistingAccount(db: Database, email: string) {
  if (await findCredentials(db, email)) {
    throw new AppError(
      'email_taken',
      'There is an account with this e-mail address already; add it to the room directly.',
    );
  }
}
