import { createAutoVersion } from '@nordraum/db';
import { docOf, roadmapOf } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleDueReviews } from '../../apps/server/src/reviews/outcome.ts';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { connectClient, type SyncClient, type SyncTarget } from '../helpers/sync.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ sync: { unloadDelayMs: 100 } });
});
afterAll(() => app.close());

type Person = ApiClient & { id: string };

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

async function stateOf(client: ApiClient, path: string): Promise<Uint8Array> {
  const response = await fetch(app.url + path, { headers: { cookie: client.cookie ?? '' } });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

/** A room of an SH owner with an SH editor and two committee members (SH, MV) as commenters, and a roadmap. */
async function committeeRoom() {
  const owner = await app.user('SH', { name: 'Olaf Owner' });
  const editor = await app.user('SH', { name: 'Eva Editorin' });
  const sh = await app.user('SH', { name: 'Sanna Lenkungskreis' });
  const mv = await app.user('MV', { name: 'Malte Lenkungskreis' });
  const room = (await owner.post('/api/rooms', { name: 'AG Digitale Verwaltung' })).json.room;
  await owner.put(`/api/rooms/${room.id}/members/${editor.id}`, { role: 'editor' });
  for (const member of [sh, mv]) await owner.put(`/api/rooms/${room.id}/members/${member.id}`, { role: 'commenter' });
  const document = (await editor.post(`/api/rooms/${room.id}/documents`, { kind: 'roadmap', title: 'Roadmap 2027' }))
    .json.document;
  return { owner, editor, sh, mv, roomId: room.id as string, documentId: document.id as string };
}

async function connected(client: ApiClient, documentId: string): Promise<SyncClient> {
  const sync = connectClient(as(client), documentId);
  await sync.synced();
  return sync;
}

async function milestoneCount(client: ApiClient, documentId: string) {
  return roadmapOf(docOf(await stateOf(client, `/api/documents/${documentId}/state`))).milestones().length;
}

describe('a review by two committee members', () => {
  it('closes approved after a request for changes is turned into an approval, and keeps the state frozen', async () => {
    const { editor, sh, mv, documentId } = await committeeRoom();
    const writer = await connected(editor, documentId);
    const roadmap = roadmapOf(writer.doc);
    roadmap.addMilestone({ themeId: 'theme-ki', title: 'KI-Pilot', start: '2027-01-01', end: '2027-03-31' });
    await expect.poll(() => milestoneCount(editor, documentId), { timeout: 10_000 }).toBe(1);

    const requested = await editor.post(`/api/documents/${documentId}/reviews`, {
      reviewerIds: [sh.id, mv.id],
      message: 'Bitte bis zur Sitzung prüfen.',
    });
    expect(requested.status).toBe(201);
    const { review } = requested.json;
    expect(review).toMatchObject({
      status: 'open',
      rule: 'all',
      required: 2,
      message: 'Bitte bis zur Sitzung prüfen.',
    });
    const versions = (await editor.get(`/api/documents/${documentId}/versions`)).json.versions;
    expect(versions.find((v: { id: string }) => v.id === review.versionId)).toMatchObject({ kind: 'manual' });
    const reviewed = await stateOf(editor, `/api/documents/${documentId}/versions/${review.versionId}/state`);

    for (const reviewer of [sh, mv]) {
      const mine = (await reviewer.get('/api/my-reviews')).json.reviews;
      expect(mine.map((r: { id: string }) => r.id)).toEqual([review.id]);
      const inbox = (await reviewer.get('/api/notifications')).json.notifications;
      expect(inbox[0]).toMatchObject({
        kind: 'review_requested',
        link: `/reviews/${review.id}`,
        documentTitle: 'Roadmap 2027',
      });
    }

    const path = `/api/reviews/${review.id}/answer`;
    expect((await sh.put(path, { verdict: 'approve' })).json.review.status).toBe('open');
    const withoutComment = await mv.put(path, { verdict: 'request_changes' });
    expect(withoutComment.status).toBe(400);
    expect(withoutComment.json.error.fields).toHaveProperty('comment');
    const changes = await mv.put(path, { verdict: 'request_changes', comment: 'Zeitplan für MV fehlt.' });
    expect(changes.status).toBe(200);
    // A request for changes stands, but the reviewer may still change it: the review stays open.
    expect(changes.json.review.status).toBe('open');
    expect(changes.json.review.answers).toContainEqual(
      expect.objectContaining({
        reviewer: expect.objectContaining({ id: mv.id }),
        verdict: 'request_changes',
        comment: 'Zeitplan für MV fehlt.',
      }),
    );

    const approved = await mv.put(path, { verdict: 'approve_with_remarks', comment: 'Zeitplan bitte nachreichen.' });
    expect(approved.status).toBe(200);
    expect(approved.json.review.status).toBe('approved');
    const approvedVersionId = approved.json.review.approvedVersionId as string;
    expect(approvedVersionId).toBeTruthy();
    expect((await mv.get('/api/my-reviews')).json.reviews).toEqual([]);
    expect((await sh.put(path, { verdict: 'request_changes', comment: 'Zu spät.' })).status).toBe(409);

    const frozenPath = `/api/documents/${documentId}/versions/${approvedVersionId}/state`;
    const frozen = await stateOf(editor, frozenPath);
    expect(frozen).toEqual(reviewed);
    const listed = (await editor.get(`/api/documents/${documentId}/versions`)).json.versions;
    expect(listed.find((v: { id: string }) => v.id === approvedVersionId)).toMatchObject({ kind: 'approved' });

    // The live document keeps being edited; the approved version does not move.
    roadmap.addMilestone({ themeId: 'theme-ki', title: 'KI-Rollout', start: '2027-04-01', end: '2027-06-30' });
    await expect.poll(() => milestoneCount(editor, documentId), { timeout: 10_000 }).toBe(2);
    expect(await stateOf(editor, frozenPath)).toEqual(reviewed);
    const since = await editor.get(
      `/api/documents/${documentId}/versions/${approvedVersionId}/changes?against=current`,
    );
    expect(since.json.changes.summary).toEqual({ added: 1, removed: 0, changed: 0 });
    // Not even the database lets the approved state change.
    await expect(
      app.database.pool.query("update doc_version set state = '\\x00' where id = $1", [approvedVersionId]),
    ).rejects.toThrow(/frozen/);

    // A second review is compared with the approval the first one kept.
    expect((await editor.get(`/api/reviews/${review.id}/changes`)).json).toEqual({ since: null, changes: null });
    const next = (await editor.post(`/api/documents/${documentId}/reviews`, { reviewerIds: [sh.id] })).json.review;
    const compared = (await sh.get(`/api/reviews/${next.id}/changes`)).json;
    expect(compared.since).toMatchObject({ id: approvedVersionId, kind: 'approved' });
    expect(compared.changes.summary).toEqual({ added: 1, removed: 0, changed: 0 });
    expect(compared.changes.items).toContainEqual(expect.objectContaining({ title: 'KI-Rollout', change: 'added' }));

    const decided = (await editor.get('/api/notifications')).json.notifications;
    expect(decided[0]).toMatchObject({ kind: 'review_decided', link: `/reviews/${review.id}` });
    const audit = (await app.admin.get(`/api/admin/audit?roomId=${approved.json.review.roomId}`)).json.entries;
    const actions = audit.map((entry: { action: string }) => entry.action);
    for (const action of ['review.request', 'review.answer', 'review.approve']) expect(actions).toContain(action);
    expect(audit.find((entry: { action: string }) => entry.action === 'review.approve').details).toMatchObject({
      reviewId: review.id,
      approvedVersionId,
    });
    writer.destroy();
  });

  it('with a rule of one approval, closes once on the first, however many answer at once', async () => {
    const { editor, sh, mv, documentId } = await committeeRoom();
    const { review } = (
      await editor.post(`/api/documents/${documentId}/reviews`, { reviewerIds: [sh.id, mv.id], required: 1 })
    ).json;
    expect(review).toMatchObject({ rule: 'count', required: 1 });
    // Both approve at the same moment: the review closes once, with one approved version.
    const answers = await Promise.all(
      [sh, mv].map((person) => person.put(`/api/reviews/${review.id}/answer`, { verdict: 'approve' })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const versions = (await editor.get(`/api/documents/${documentId}/versions`)).json.versions;
    expect(versions.filter((v: { kind: string }) => v.kind === 'approved')).toHaveLength(1);
    expect((await editor.get(`/api/reviews/${review.id}`)).json.review.status).toBe('approved');
  });

  it('closes with changes requested once the due date passed with a request standing', async () => {
    const { editor, sh, mv, documentId } = await committeeRoom();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const { review } = (
      await editor.post(`/api/documents/${documentId}/reviews`, { reviewerIds: [sh.id, mv.id], dueDate: tomorrow })
    ).json;
    await sh.put(`/api/reviews/${review.id}/answer`, { verdict: 'request_changes', comment: 'Bitte überarbeiten.' });
    expect(await settleDueReviews(app.database.db)).toBe(0);
    await app.database.pool.query('update review set due_date = current_date - 2 where id = $1', [review.id]);
    expect(await settleDueReviews(app.database.db)).toBe(1);
    const closed = (await editor.get(`/api/reviews/${review.id}`)).json.review;
    expect(closed).toMatchObject({ status: 'changes_requested', approvedVersionId: null });
    expect((await mv.put(`/api/reviews/${review.id}/answer`, { verdict: 'approve' })).status).toBe(409);
  });
});

describe('withdrawing a review', () => {
  it('is for the requester or an owner; the reviewers can no longer answer', async () => {
    const { owner, editor, sh, mv, roomId, documentId } = await committeeRoom();
    const other = await app.user('MV');
    await owner.put(`/api/rooms/${roomId}/members/${other.id}`, { role: 'editor' });
    const { review } = (await editor.post(`/api/documents/${documentId}/reviews`, { reviewerIds: [sh.id, mv.id] }))
      .json;
    const path = `/api/reviews/${review.id}/withdraw`;
    expect((await other.post(path)).status).toBe(403);
    expect((await sh.post(path)).status).toBe(403);
    const withdrawn = await editor.post(path);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json.review).toMatchObject({ status: 'withdrawn', approvedVersionId: null });
    expect((await editor.post(path)).status).toBe(409);
    expect((await sh.put(`/api/reviews/${review.id}/answer`, { verdict: 'approve' })).status).toBe(409);
    expect((await sh.get('/api/my-reviews')).json.reviews).toEqual([]);
    expect((await mv.get('/api/notifications')).json.notifications[0]).toMatchObject({ kind: 'review_decided' });
    const audit = (await app.admin.get(`/api/admin/audit?action=review.withdraw&roomId=${roomId}`)).json.entries;
    expect(audit).toHaveLength(1);
  });
});

describe('who may answer', () => {
  it('refuses someone who is not a reviewer with 403, and a stranger with 404', async () => {
    const { owner, editor, sh, mv, roomId, documentId } = await committeeRoom();
    const colleague = await app.user('SH');
    await owner.put(`/api/rooms/${roomId}/members/${colleague.id}`, { role: 'commenter' });
    const stranger = await app.user('MV');
    const { review } = (await editor.post(`/api/documents/${documentId}/reviews`, { reviewerIds: [sh.id] })).json;
    const path = `/api/reviews/${review.id}/answer`;
    for (const person of [colleague, editor, owner, mv])
      expect((await person.put(path, { verdict: 'approve' })).status).toBe(403);
    expect((await stranger.put(path, { verdict: 'approve' })).status).toBe(404);
    expect((await stranger.get(`/api/reviews/${review.id}`)).status).toBe(404);
    expect((await colleague.get(`/api/reviews/${review.id}`)).status).toBe(200);
    expect((await editor.get(`/api/reviews/${review.id}`)).json.review.answers).toEqual([
      expect.objectContaining({ reviewer: expect.objectContaining({ id: sh.id }), verdict: null }),
    ]);
  });

  it('refuses a reviewer who lost read access, and drops the review from their list', async () => {
    const { owner, editor, sh, mv, roomId, documentId } = await committeeRoom();
    const { review } = (await editor.post(`/api/documents/${documentId}/reviews`, { reviewerIds: [sh.id, mv.id] }))
      .json;
    expect((await mv.get('/api/my-reviews')).json.reviews).toHaveLength(1);
    expect((await owner.delete(`/api/rooms/${roomId}/members/${mv.id}`)).status).toBe(204);
    const refused = await mv.put(`/api/reviews/${review.id}/answer`, { verdict: 'approve' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/no longer read/);
    expect((await mv.get('/api/my-reviews')).json.reviews).toEqual([]);
    expect((await editor.get(`/api/reviews/${review.id}`)).json.review.status).toBe('open');
  });
});

describe('requesting a review', () => {
  it('follows the role matrix: owners and editors may, commenters and viewers may not, strangers see nothing', async () => {
    const { owner, editor, sh, mv, roomId, documentId } = await committeeRoom();
    const viewer = await app.user('MV');
    await owner.put(`/api/rooms/${roomId}/members/${viewer.id}`, { role: 'viewer' });
    const stranger = await app.user('SH');
    const body = { reviewerIds: [sh.id, mv.id] };
    const path = `/api/documents/${documentId}/reviews`;
    const expected: [Person, number][] = [
      [owner, 201],
      [editor, 201],
      [sh, 403],
      [viewer, 403],
      [stranger, 404],
      // Administrators see the room, not its documents' content.
      [app.admin, 403],
    ];
    for (const [person, status] of expected) expect((await person.post(path, body)).status).toBe(status);
    for (const [person, status] of expected) {
      const reads = person === app.admin ? 403 : status === 404 ? 404 : 200;
      expect((await person.get(path)).status).toBe(reads);
    }
    expect((await viewer.get(path)).json.reviews).toHaveLength(2);
    expect((await app.anonymous().post(path, body)).status).toBe(401);
    expect((await app.anonymous().get('/api/my-reviews')).status).toBe(401);
    const reviewId = (await viewer.get(path)).json.reviews[0].id;
    expect((await viewer.post(`/api/reviews/${reviewId}/withdraw`)).status).toBe(403);
    expect((await viewer.put(`/api/reviews/${reviewId}/answer`, { verdict: 'approve' })).status).toBe(403);
  });

  it('refuses reviewers who cannot read the document, by name, and rules that cannot be met', async () => {
    const { editor, sh, documentId } = await committeeRoom();
    const outsider = await app.user('MV', { name: 'Ute Außenstehend' });
    const path = `/api/documents/${documentId}/reviews`;
    const refused = await editor.post(path, { reviewerIds: [sh.id, outsider.id] });
    expect(refused.status).toBe(400);
    expect(refused.json.error.fields.reviewerIds).toContain('Ute Außenstehend');
    expect((await editor.post(path, { reviewerIds: [sh.id], required: 2 })).json.error.fields).toHaveProperty(
      'required',
    );
    expect((await editor.post(path, { reviewerIds: [] })).status).toBe(400);
    expect((await editor.post(path, { reviewerIds: [sh.id], dueDate: '2020-01-01' })).json.error.fields).toHaveProperty(
      'dueDate',
    );
    expect((await editor.post(path, { reviewerIds: [sh.id], message: 'x'.repeat(2001) })).status).toBe(400);
    expect((await editor.post(path, { reviewerIds: [sh.id], versionId: crypto.randomUUID() })).status).toBe(400);
    expect((await editor.get(path)).json.reviews).toEqual([]);
  });

  it('reviews a named version; an automatic one is kept as a manual copy first', async () => {
    const { editor, sh, documentId } = await committeeRoom();
    const named = (await editor.post(`/api/documents/${documentId}/versions`, { name: 'Stand LK 12.03.' })).json
      .version;
    const { review } = (
      await editor.post(`/api/documents/${documentId}/reviews`, { reviewerIds: [sh.id], versionId: named.id })
    ).json;
    expect(review).toMatchObject({ versionId: named.id, versionName: 'Stand LK 12.03.' });
    const done = (await sh.put(`/api/reviews/${review.id}/answer`, { verdict: 'approve' })).json.review;
    const versions = (await editor.get(`/api/documents/${documentId}/versions`)).json.versions;
    expect(versions.find((v: { id: string }) => v.id === done.approvedVersionId)).toMatchObject({
      kind: 'approved',
      name: 'Stand LK 12.03.',
    });

    await createAutoVersion(app.database.db, { documentId, seq: 0, state: new Uint8Array([0, 0]) });
    const auto = (await editor.get(`/api/documents/${documentId}/versions`)).json.versions.find(
      (v: { kind: string }) => v.kind === 'auto',
    );
    const ofAuto = (
      await editor.post(`/api/documents/${documentId}/reviews`, { reviewerIds: [sh.id], versionId: auto.id })
    ).json.review;
    expect(ofAuto.versionId).not.toBe(auto.id);
    const kept = (await editor.get(`/api/documents/${documentId}/versions`)).json.versions;
    expect(kept.find((v: { id: string }) => v.id === ofAuto.versionId)).toMatchObject({ kind: 'manual', bytes: 2 });
  });
});
