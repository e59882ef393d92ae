import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, startTestApp, type TestApp } from '../helpers/app.ts';
import { committeeRoom, type Person } from '../helpers/committee.ts';
import { normalise, readPdf } from '../helpers/exported.ts';

let app: TestApp;
let owner: Person;
let viewer: Person;
let outsider: Person;
let roomId: string;

beforeAll(async () => {
  app = await startTestApp({ sync: {} });
  ({ owner, viewer, outsider, roomId } = await committeeRoom(app));
});
afterAll(() => app.close());

const decide = (body: Record<string, unknown>) =>
  owner.post(`/api/rooms/${roomId}/decisions`, { text: '', status: 'beschlossen', date: '2026-03-12', ...body });

async function download(client: ApiClient, query: string) {
  const response = await fetch(`${app.url}/api/rooms/${roomId}/decisions/export?${query}`, {
    headers: { cookie: client.cookie ?? '' },
  });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe('the decision register as PDF', () => {
  it('is a tagged PDF of the filtered register: language, title, a table of the decisions, audited', async () => {
    const document = (await owner.post(`/api/rooms/${roomId}/documents`, { kind: 'roadmap', title: 'Roadmap 2026' }))
      .json.document;
    const version = (await owner.post(`/api/documents/${document.id}/versions`, { name: 'Vorlage März' })).json.version;
    const first = (
      await decide({
        title: 'Open-Source-Strategie',
        text: 'Gemeinsame Kriterien für Ausschreibungen.',
        versionIds: [version.id],
      })
    ).json.decision;
    // The register names each linked version with its document, to open it from there.
    expect(first.versions).toEqual([
      expect.objectContaining({
        id: version.id,
        documentId: document.id,
        documentTitle: 'Roadmap 2026',
        kind: 'manual',
      }),
    ]);
    const second = (
      await decide({ title: 'Open-Source-Strategie (berichtigt)', text: 'Mit Exit-Strategie.', supersedes: first.id })
    ).json.decision;
    await decide({ title: 'Datenfabrik', status: 'zurückgestellt', date: '2025-11-03' });

    const { response, bytes } = await download(viewer, 'year=2026&format=pdf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(/Beschlussregister.*\.pdf/);
    const pdf = await readPdf(bytes);
    expect(pdf.marked).toBe(true);
    expect(pdf.raw).toContain('/Lang (de-DE)');
    expect(pdf.raw).toContain('/DisplayDocTitle true');
    expect(pdf.info.Title).toBe('Beschlussregister');
    for (const role of ['H1', 'Table', 'TR', 'TH', 'TD']) expect(pdf.roles).toContain(role);
    expect(pdf.text).toContain(normalise('Beschlussregister Datenraum: Lenkungskreis Nord'));
    expect(pdf.text).toContain('Gefiltert: Jahr 2026');
    expect(pdf.text).toContain('Beschlüsse: 2');
    expect(pdf.text).toContain('Nummer Datum Titel Wortlaut Status Sitzung und Bezüge');
    // Newest first, as in the register; the older year is filtered out.
    expect(pdf.text.indexOf(second.number)).toBeLessThan(pdf.text.indexOf(first.number));
    expect(pdf.text).toContain(`aufgehoben durch ${second.number}`);
    expect(pdf.text).toContain(`Ersetzt ${first.number}`);
    expect(pdf.text).toContain('Roadmap 2026, Version „Vorlage März“ (benannt');
    expect(pdf.text).not.toContain('Datenfabrik');

    const audit = (await app.admin.get(`/api/admin/audit?roomId=${roomId}&action=decision.export`)).json.entries;
    expect(audit[0]).toMatchObject({ actorId: viewer.id, details: { year: 2026, format: 'pdf' } });
  });

  it('is refused to people outside the room and for unknown formats', async () => {
    expect((await download(outsider, 'format=pdf')).response.status).toBe(404);
    expect((await download(viewer, 'format=docx')).response.status).toBe(400);
    expect((await app.anonymous().get(`/api/rooms/${roomId}/decisions/export?format=pdf`)).status).toBe(401);
  });
});
