import { describe, expect, it } from 'vitest';
import { type Action, actions, can } from './permissions.ts';
import { type RoomRole, roomRoles } from './roles.ts';

// The expected matrix, written out by hand so that a change to the rules shows up here as a diff.
// Columns: owner, editor, commenter, viewer, no role, admin without a role.
const Y = true;
const N = false;
const expected: Record<Action, [boolean, boolean, boolean, boolean, boolean, boolean]> = {
  'room.view': [Y, Y, Y, Y, N, Y],
  'room.update': [Y, N, N, N, N, Y],
  'room.members.manage': [Y, N, N, N, N, Y],
  'room.grants.manage': [N, N, N, N, N, Y],
  'room.create': [Y, Y, Y, Y, Y, Y],
  'document.list': [Y, Y, Y, Y, N, Y],
  'document.read': [Y, Y, Y, Y, N, N],
  'document.comment': [Y, Y, Y, N, N, N],
  'document.write': [Y, Y, N, N, N, N],
  'document.create': [Y, Y, N, N, N, N],
  'document.rename': [Y, Y, N, N, N, N],
  'document.archive': [Y, Y, N, N, N, N],
  'admin.users.manage': [N, N, N, N, N, Y],
  'admin.audit.read': [N, N, N, N, N, Y],
  'document.version.create': [Y, Y, N, N, N, N],
  'document.version.restore': [Y, Y, N, N, N, N],
  'comment.read': [Y, Y, Y, Y, N, N],
  'comment.write': [Y, Y, Y, N, N, N],
  'comment.moderate': [Y, N, N, N, N, N],
  'meeting.read': [Y, Y, Y, Y, N, N],
  'meeting.manage': [Y, Y, N, N, N, N],
  'decision.read': [Y, Y, Y, Y, N, N],
  'decision.manage': [Y, Y, N, N, N, N],
  'document.review.request': [Y, Y, N, N, N, N],
  'room.templates.manage': [Y, N, N, N, N, N],
};

const columns: (RoomRole | null)[] = [...roomRoles, null];

describe('can', () => {
  it('covers every action in the expected matrix', () => {
    expect(Object.keys(expected).sort()).toEqual([...actions].sort());
  });

  for (const action of actions) {
    for (const [index, roomRole] of columns.entries()) {
      const allowed = expected[action][index];
      it(`${allowed ? 'lets' : 'refuses'} ${roomRole ?? 'no role'} ${action}`, () => {
        expect(can({ isAdmin: false, roomRole }, action)).toBe(allowed);
      });
    }
    it(`gives an admin without a role ${action}: ${expected[action][5]}`, () => {
      expect(can({ isAdmin: true, roomRole: null }, action)).toBe(expected[action][5]);
    });
    for (const roomRole of roomRoles) {
      it(`gives an admin who is ${roomRole} at least what either grants for ${action}`, () => {
        const either = expected[action][5] || expected[action][roomRoles.indexOf(roomRole)];
        expect(can({ isAdmin: true, roomRole }, action)).toBe(either);
      });
    }
  }
});
