import {
  countOwners,
  createRoom,
  findOrganization,
  findUserById,
  getRoom,
  listGrants,
  listMembers,
  listVisibleRooms,
  removeGrant,
  removeMember,
  setGrant,
  setMember,
  updateRoom,
} from '@nordraum/db';
import { AppError, can, schemas } from '@nordraum/domain';
import { Hono } from 'hono';
import { z } from 'zod';
import { notifyRoomAdded } from '../comments/notify.ts';
import { audited, authorizeRoom, viewerOf } from '../http/access.ts';
import type { AppDependencies, AppEnv } from '../http/context.ts';
import { describe, valid } from '../http/openapi.ts';
import { requireSession } from '../http/session.ts';

const roomResponse = z.object({ room: schemas.room });
const membersResponse = z.object({ members: z.array(schemas.member) });
const grantsResponse = z.object({ grants: z.array(schemas.grant) });
const denied = { 403: schemas.errorBody, 404: schemas.errorBody };

/** Rooms, their members and organisation grants. */
export function roomRoutes({ db }: AppDependencies) {
  const app = new Hono<AppEnv>();

  app.get(
    '/rooms',
    describe('Rooms the caller may see', 'rooms', { 200: z.object({ rooms: z.array(schemas.room) }) }),
    async (c) => {
      const session = requireSession(c);
      return c.json({ rooms: await listVisibleRooms(db, viewerOf(session)) }, 200);
    },
  );

  app.post(
    '/rooms',
    describe('Create a room; the creator becomes owner', 'rooms', { 201: roomResponse }),
    valid('json', schemas.createRoomBody),
    async (c) => {
      const session = requireSession(c);
      const body = c.req.valid('json');
      const roomId = await audited(
        db,
        c,
        (tx) => createRoom(tx, { ...body, ownerId: session.user.id }),
        (id) => ({ action: 'room.create', targetType: 'room', targetId: id, roomId: id, details: { name: body.name } }),
      );
      return c.json({ room: (await getRoom(db, roomId, viewerOf(session)))! }, 201);
    },
  );

  app.get(
    '/rooms/:roomId',
    describe('One room', 'rooms', { 200: roomResponse, ...denied }),
    valid('param', schemas.roomIdParam),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'room.view');
      return c.json({ room: (await getRoom(db, roomId, viewerOf(session)))! }, 200);
    },
  );

  app.patch(
    '/rooms/:roomId',
    describe('Rename or re-describe a room', 'rooms', { 200: roomResponse, ...denied }),
    valid('param', schemas.roomIdParam),
    valid('json', schemas.updateRoomBody),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'room.update');
      const changes = c.req.valid('json');
      await audited(
        db,
        c,
        (tx) => updateRoom(tx, roomId, changes),
        () => ({
          action: 'room.update',
          targetType: 'room',
          targetId: roomId,
          roomId,
          details: { changes: Object.keys(changes) },
        }),
      );
      return c.json({ room: (await getRoom(db, roomId, viewerOf(session)))! }, 200);
    },
  );

  app.get(
    '/rooms/:roomId/members',
    describe('Members of a room', 'rooms', { 200: membersResponse, ...denied }),
    valid('param', schemas.roomIdParam),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      const room = await authorizeRoom(db, session, roomId, 'room.view');
      const members = await listMembers(db, roomId);
      // E-mail addresses only for those who manage the members (owners, administrators): the
      // others see names and organisations, enough to mention, assign and review.
      if (can({ isAdmin: session.user.isAdmin, roomRole: room.role }, 'room.members.manage')) {
        return c.json({ members }, 200);
      }
      return c.json(
        { members: members.map(({ user: { email: _email, ...user }, ...rest }) => ({ ...rest, user })) },
        200,
      );
    },
  );

  app.put(
    '/rooms/:roomId/members/:userId',
    describe("Set a member's role", 'rooms', {
      200: z.object({ role: schemas.roomRoleSchema }),
      ...denied,
      409: schemas.errorBody,
    }),
    valid('param', schemas.memberParam),
    valid('json', schemas.setRoleBody),
    async (c) => {
      const session = requireSession(c);
      const { roomId, userId } = c.req.valid('param');
      const { role } = c.req.valid('json');
      const room = await authorizeRoom(db, session, roomId, 'room.members.manage');
      const target = await findUserById(db, userId);
      if (!target) throw new AppError('not_found', 'User not found.');
      if (role !== 'owner') await keepAnOwner(roomId, userId);
      const previousRole = await audited(
        db,
        c,
        (tx) => setMember(tx, roomId, userId, role),
        (previousRole) => ({
          action: 'room.member.set',
          targetType: 'user',
          targetId: userId,
          roomId,
          details: { role, previousRole },
        }),
      );
      if (previousRole === null)
        await notifyRoomAdded(db, { roomId, roomName: room.name, userId, actorId: session.user.id });
      return c.json({ role }, 200);
    },
  );

  app.delete(
    '/rooms/:roomId/members/:userId',
    describe('Remove a member', 'rooms', { 204: null, ...denied, 409: schemas.errorBody }),
    valid('param', schemas.memberParam),
    async (c) => {
      const session = requireSession(c);
      const { roomId, userId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'room.members.manage');
      await keepAnOwner(roomId, userId);
      const removed = await audited(
        db,
        c,
        (tx) => removeMember(tx, roomId, userId),
        (done) => (done ? { action: 'room.member.remove', targetType: 'user', targetId: userId, roomId } : null),
      );
      if (!removed) throw new AppError('not_found', 'Not a member of this room.');
      return c.body(null, 204);
    },
  );

  app.get(
    '/rooms/:roomId/grants',
    describe('Organisation grants of a room', 'rooms', { 200: grantsResponse, ...denied }),
    valid('param', schemas.roomIdParam),
    async (c) => {
      const session = requireSession(c);
      const { roomId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'room.view');
      return c.json({ grants: await listGrants(db, roomId) }, 200);
    },
  );

  app.put(
    '/rooms/:roomId/grants/:organizationId',
    describe('Grant a whole organisation a role (admins)', 'rooms', {
      200: z.object({ role: schemas.roomRoleSchema }),
      ...denied,
    }),
    valid('param', schemas.grantParam),
    valid('json', schemas.setRoleBody),
    async (c) => {
      const session = requireSession(c);
      const { roomId, organizationId } = c.req.valid('param');
      const { role } = c.req.valid('json');
      await authorizeRoom(db, session, roomId, 'room.grants.manage');
      const organization = await findOrganization(db, { id: organizationId });
      if (!organization) throw new AppError('not_found', 'Organisation not found.');
      await audited(
        db,
        c,
        (tx) => setGrant(tx, roomId, organizationId, role),
        () => ({
          action: 'room.grant.set',
          targetType: 'organization',
          targetId: organizationId,
          roomId,
          details: { role, organization: organization.code },
        }),
      );
      return c.json({ role }, 200);
    },
  );

  app.delete(
    '/rooms/:roomId/grants/:organizationId',
    describe("Withdraw an organisation's grant (admins)", 'rooms', { 204: null, ...denied }),
    valid('param', schemas.grantParam),
    async (c) => {
      const session = requireSession(c);
      const { roomId, organizationId } = c.req.valid('param');
      await authorizeRoom(db, session, roomId, 'room.grants.manage');
      const removed = await audited(
        db,
        c,
        (tx) => removeGrant(tx, roomId, organizationId),
        (done) =>
          done ? { action: 'room.grant.remove', targetType: 'organization', targetId: organizationId, roomId } : null,
      );
      if (!removed) throw new AppError('not_found', 'No such grant.');
      return c.body(null, 204);
    },
  );

  /** A room must keep at least one owner, or nobody could manage its members any more. */
  async function keepAnOwner(roomId: string, leavingOwnerId: string) {
    const members = await listMembers(db, roomId);
    const isOwner = members.some((m) => m.user.id === leavingOwnerId && m.role === 'owner');
    if (isOwner && (await countOwners(db, roomId)) <= 1) {
      throw new AppError('conflict', 'A room needs at least one owner. Make someone else owner first.');
    }
  }

  return app;
}
