import { docOf, noteHeadings, notesText } from '@nordraum/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { committeeRoom, type Person } from '../helpers/committee.ts';
import { connectClient, type SyncTarget } from '../helpers/sync.ts';

let app: TestApp;
let owner: Person;
let editor: Person;
let commenter: Person;
let viewer: Person;
let outsider: Person;
let roomId: string;
let roadmapId: string;
let versionId: string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  ({ owner, editor, commenter, viewer, outsider, roomId } = await committeeRoom(app));
  roadmapId = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'roadmap', title: 'Roadmap 2026' })).json
    .document.id;
  versionId = (await owner.post(`/api/documents/${roadmapId}/versions`, { name: 'Stand März' })).json.version.id;
});
afterAll(() => app.close());

const as = (client: { cookie: string | undefined }): SyncTarget => ({
  url: app.url,
  origin: app.origin,
  cookie: client.cookie,
});

const threeItems = () => [
  { title: 'Begrüßung' },
  { title: 'Roadmap Stand März', versionId },
  { title: 'Datenfabrik', reviewId: crypto.randomUUID() },
];

async function newMeeting(by: ApiClient = owner, body: Record<string, unknown> = {}) {
  const created = await by.post(`/api/rooms/${roomId}/meetings`, {
    title: 'Lenkungskreis 1/2026',
    startsAt: '2026-03-12T09:00:00Z',
    endsAt: '2026-03-12T11:30:00Z',
    location: 'https://video.example/lk; Raum 3, Kiel',
    agenda: threeItems(),
    participantIds: [owner.id, commenter.id],
    ...body,
  });
  expect(created.status).toBe(201);
  return created.json.meeting;
}

describe('a meeting', () => {
  it('keeps its agenda in order with links, and its participants with organisation', async () => {
    const meeting = await newMeeting();
    const read = await viewer.get(`/api/meetings/${meeting.id}`);
    expect(read.status).toBe(200);
    expect(read.json.room).toMatchObject({ id: roomId, role: 'viewer' });
    expect(read.json.meeting).toMatchObject({
      title: 'Lenkungskreis 1/2026',
      startsAt: '2026-03-12T09:00:00.000Z',
      endsAt: '2026-03-12T11:30:00.000Z',
      minutesDocumentId: null,
    });
    expect(read.json.meeting.agenda.map((item: { title: string }) => item.title)).toEqual([
      'Begrüßung',
      'Roadmap Stand März',
      'Datenfabrik',
    ]);
    // A version without a document gets its document.
    expect(read.json.meeting.agenda[1]).toMatchObject({
      documentId: roadmapId,
      documentTitle: 'Roadmap 2026',
      versionId,
      versionName: 'Stand März',
    });
    expect(read.json.meeting.participants).toEqual([
      { id: commenter.id, name: 'Mona Lenk', organization: expect.objectContaining({ code: 'MV' }) },
      { id: owner.id, name: 'Svea Sievers', organization: expect.objectContaining({ code: 'SH' }) },
    ]);
    const listed = (await commenter.get(`/api/rooms/${roomId}/meetings`)).json.meetings;
    expect(listed.map((entry: { id: string }) => entry.id)).toContain(meeting.id);
  });

  it('changes: reordered agenda keeps item ids, removed items go, participants are replaced', async () => {
    const meeting = await newMeeting();
    const [welcome, roadmap] = meeting.agenda;
    const changed = await editor.patch(`/api/meetings/${meeting.id}`, {
      agenda: [
        { id: roadmap.id, title: 'Roadmap', versionId },
        { id: welcome.id, title: 'Begrüßung' },
        { title: 'Verschiedenes' },
      ],
      participantIds: [editor.id],
    });
    expect(changed.status).toBe(200);
    expect(changed.json.meeting.agenda.map((item: { id: string; title: string }) => [item.id, item.title])).toEqual([
      [roadmap.id, 'Roadmap'],
      [welcome.id, 'Begrüßung'],
      [expect.any(String), 'Verschiedenes'],
    ]);
    expect(changed.json.meeting.participants.map((person: { id: string }) => person.id)).toEqual([editor.id]);
  });

  it('refuses, next to the field, documents of another room, people who cannot read it, and an end before the start', async () => {
    const elsewhere = (await outsider.post('/api/rooms', { name: 'Anderswo' })).json.room.id;
    const foreign = (await outsider.post(`/api/rooms/${elsewhere}/documents`, { kind: 'notes', title: 'Fremd' })).json
      .document.id;
    const refused = await owner.post(`/api/rooms/${roomId}/meetings`, {
      title: 'Falsch',
      startsAt: '2026-03-12T09:00:00Z',
      endsAt: '2026-03-12T08:00:00Z',
      agenda: [
        { title: 'A', documentId: foreign },
        { title: 'B', documentId: roadmapId, versionId: crypto.randomUUID() },
      ],
      participantIds: [outsider.id],
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.fields).toEqual({
      'agenda.0.documentId': 'not a document of this room',
      'agenda.1.versionId': 'not a version of this document',
      'participantIds.0': 'not someone who may read this room',
      endsAt: 'must not be before the start',
    });
    const bad = await owner.post(`/api/rooms/${roomId}/meetings`, { title: '', startsAt: 'morgen', agenda: [] });
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(['startsAt', 'title']);
  });
});

describe('the invitation', () => {
  it('is an iCalendar event with time, place, agenda and participants, and counts changes', async () => {
    const meeting = await newMeeting();
    const path = `/api/meetings/${meeting.id}/invitation.ics`;
    const first = await commenter.get(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(first.text.endsWith('\r\n')).toBe(true);
    const unfolded = first.text.replace(/\r\n /g, '');
    const lines = unfolded.split('\r\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'BEGIN:VEVENT',
        `UID:meeting-${meeting.id}@nordraum`,
        'SEQUENCE:0',
        'DTSTART:20260312T090000Z',
        'DTEND:20260312T113000Z',
        'SUMMARY:Lenkungskreis 1/2026',
        'LOCATION:https://video.example/lk\\; Raum 3\\, Kiel',
        `URL:${app.origin}/meetings/${meeting.id}`,
        `ATTENDEE;ROLE=REQ-PARTICIPANT;CN="Mona Lenk":mailto:${commenter.email}`,
        `ORGANIZER;CN="Svea Sievers":mailto:${owner.email}`,
      ]),
    );
    expect(unfolded).toContain('DESCRIPTION:TOP 1: Begrüßung\\nTOP 2: Roadmap Stand März\\nTOP 3: Datenfabrik');
    expect(first.text.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);

    await owner.patch(`/api/meetings/${meeting.id}`, { startsAt: '2026-03-13T09:00:00Z', endsAt: null });
    const moved = (await commenter.get(path)).text.split('\r\n');
    expect(moved).toEqual(expect.arrayContaining(['SEQUENCE:1', 'DTSTART:20260313T090000Z', 'DTEND:20260313T100000Z']));
  });
});

describe('the minutes', () => {
  it('are a notes document with one heading per agenda item, made once, co-edited live', async () => {
    const meeting = await newMeeting();
    const made = await editor.post(`/api/meetings/${meeting.id}/minutes`);
    expect(made.status).toBe(201);
    const documentId = made.json.meeting.minutesDocumentId;
    expect((await editor.post(`/api/meetings/${meeting.id}/minutes`)).status).toBe(409);
    const document = (await viewer.get(`/api/documents/${documentId}`)).json.document;
    expect(document).toMatchObject({ kind: 'notes', title: 'Protokoll: Lenkungskreis 1/2026', roomId });

    const first = connectClient(as(owner), documentId);
    const second = connectClient(as(editor), documentId);
    try {
      await Promise.all([first.synced(), second.synced()]);
      expect(noteHeadings(first.doc)).toEqual(['TOP 1: Begrüßung', 'TOP 2: Roadmap Stand März', 'TOP 3: Datenfabrik']);
      expect(notesText(first.doc)).toContain('Teilnehmende: Mona Lenk (MV), Svea Sievers (SH)');
      // The empty paragraph under TOP 1 is where the first note goes.
      const paragraph = first.doc.getXmlFragment('default').get(2) as Y.XmlElement;
      paragraph.insert(0, [new Y.XmlText('Alle Länder sind vertreten.')]);
      await expect.poll(() => notesText(second.doc), { timeout: 10_000 }).toContain('Alle Länder sind vertreten.');
    } finally {
      first.destroy();
      second.destroy();
    }
    const stored = await fetch(`${app.url}/api/documents/${documentId}/state`, { headers: { cookie: owner.cookie! } });
    expect(noteHeadings(docOf(new Uint8Array(await stored.arrayBuffer())))).toHaveLength(3);
    const audit = (await app.admin.get(`/api/admin/audit?roomId=${roomId}&action=meeting.minutes`)).json.entries;
    expect(audit[0]).toMatchObject({ targetId: meeting.id, actorId: editor.id });
  });
});

describe('decisions during a meeting', () => {
  it('are recorded per agenda item and listed for the meeting', async () => {
    const meeting = await newMeeting();
    const other = await newMeeting();
    const item = meeting.agenda[1];
    const recorded = await editor.post(`/api/rooms/${roomId}/decisions`, {
      title: 'Roadmap Stand März wird beschlossen',
      date: '2026-03-12',
      status: 'beschlossen',
      meetingId: meeting.id,
      agendaItemId: item.id,
      versionIds: [versionId],
    });
    expect(recorded.status).toBe(201);
    expect(recorded.json.decision).toMatchObject({
      meetingId: meeting.id,
      agendaItemId: item.id,
      versionIds: [versionId],
    });
    const listed = (await viewer.get(`/api/rooms/${roomId}/decisions?meetingId=${meeting.id}`)).json.decisions;
    expect(listed.map((entry: { id: string }) => entry.id)).toEqual([recorded.json.decision.id]);
    const wrong = await editor.post(`/api/rooms/${roomId}/decisions`, {
      title: 'Falscher TOP',
      date: '2026-03-12',
      status: 'beschlossen',
      meetingId: other.id,
      agendaItemId: item.id,
    });
    expect(wrong.json.error.fields).toEqual({ agendaItemId: 'not an agenda item of this meeting' });
  });
});

describe('who may do what', () => {
  it('lets owners and editors manage meetings; commenters and viewers read; others see nothing', async () => {
    const meeting = await newMeeting(editor);
    for (const reader of [commenter, viewer]) {
      expect(
        (await reader.post(`/api/rooms/${roomId}/meetings`, { title: 'X', startsAt: '2026-03-12T09:00:00Z' })).status,
      ).toBe(403);
      expect((await reader.patch(`/api/meetings/${meeting.id}`, { title: 'Y' })).status).toBe(403);
      expect((await reader.post(`/api/meetings/${meeting.id}/minutes`)).status).toBe(403);
      expect((await reader.get(`/api/meetings/${meeting.id}`)).status).toBe(200);
      expect((await reader.get(`/api/meetings/${meeting.id}/invitation.ics`)).status).toBe(200);
    }
    for (const path of [
      `/api/meetings/${meeting.id}`,
      `/api/meetings/${meeting.id}/invitation.ics`,
      `/api/rooms/${roomId}/meetings`,
    ])
      expect((await outsider.get(path)).status).toBe(404);
    expect((await app.anonymous().get(`/api/meetings/${meeting.id}`)).status).toBe(401);
    expect((await owner.patch(`/api/meetings/${meeting.id}`, { title: 'Lenkungskreis 2/2026' })).status).toBe(200);
    const actions = (await app.admin.get(`/api/admin/audit?roomId=${roomId}`)).json.entries
      .filter((entry: { targetId: string }) => entry.targetId === meeting.id)
      .map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['meeting.update', 'meeting.create']);
  });
});
