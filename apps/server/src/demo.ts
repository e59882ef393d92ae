import { randomBytes } from 'node:crypto';
import { hashPassword } from '@nordraum/auth';
import {
  createDocument,
  createRoom,
  createUser,
  type Database,
  findOrganization,
  setGrant,
  setMember,
} from '@nordraum/db';
import { actionListOf, agreementThemes, roadmapOf } from '@nordraum/domain';
import type { DocumentStore } from '@nordraum/sync';
import * as Y from 'yjs';

/**
 * `NORDRAUM_DEMO=1`: a newcomer sees Nordraum at work at once. On an empty database only (the
 * caller checks), it creates people from SH, MV, Dataport and DVZ, a working-group room per field
 * of the agreement, and in one of them a filled roadmap, an action list and a workshop protocol.
 */

const people = [
  { key: 'anna', name: 'Anna Ahrens', email: 'anna.ahrens@sh.demo', org: 'SH' },
  { key: 'jan', name: 'Jan Jensen', email: 'jan.jensen@sh.demo', org: 'SH' },
  { key: 'maria', name: 'Maria Müller', email: 'maria.mueller@mv.demo', org: 'MV' },
  { key: 'ole', name: 'Ole Olsen', email: 'ole.olsen@mv.demo', org: 'MV' },
  { key: 'dirk', name: 'Dirk Dahl', email: 'dirk.dahl@dataport.demo', org: 'DATAPORT' },
  { key: 'svenja', name: 'Svenja Schulz', email: 'svenja.schulz@dvz.demo', org: 'DVZ' },
] as const;

type Key = (typeof people)[number]['key'];

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

function protocol(doc: Y.Doc) {
  const fragment = doc.getXmlFragment('default');
  const block = (name: string, text: string, attributes: Record<string, string | number> = {}) => {
    const element = new Y.XmlElement(name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as string);
    element.insert(0, [new Y.XmlText(text)]);
    return element;
  };
  const list = (items: string[]) => {
    const element = new Y.XmlElement('bulletList');
    element.insert(
      0,
      items.map((text) => {
        const item = new Y.XmlElement('listItem');
        item.insert(0, [block('paragraph', text)]);
        return item;
      }),
    );
    return element;
  };
  fragment.insert(0, [
    block('heading', 'Workshop Open Source und digitale Souveränität', { level: 2 }),
    block(
      'paragraph',
      `Kiel und Schwerin (hybrid), ${new Date().toLocaleDateString('de-DE')}. Teilnehmende aus SH, MV, Dataport und DVZ M-V.`,
    ),
    block('heading', 'Ergebnisse', { level: 3 }),
    list([
      'Gemeinsamer Katalog nachnutzbarer Open-Source-Komponenten bis zum Lenkungskreis im Frühjahr.',
      'Pilot für den souveränen Arbeitsplatz in je einer Behörde pro Land.',
      'Beschaffung: gemeinsame Kriterien für Open-Source-Ausschreibungen.',
    ]),
    block('heading', 'Nächste Schritte', { level: 3 }),
    block('paragraph', 'Die Maßnahmen stehen in der Maßnahmenliste dieses Datenraums.'),
  ]);
}

function roadmap(doc: Y.Doc, ids: Record<Key, string>) {
  const map = roadmapOf(doc);
  map.initialise();
  const [dataFabric, resilienz, openSource, onceOnly, ki] = agreementThemes.map((theme) => theme.id);
  const add = (
    themeId: string,
    title: string,
    start: number,
    end: number,
    status: 'planned' | 'in_progress' | 'done' | 'at_risk' | 'blocked',
    lead: string,
    owners: Key[],
  ) =>
    map.addMilestone({
      themeId,
      title,
      start: isoDay(start),
      end: isoDay(end),
      status,
      lead,
      owners: owners.map((key) => ids[key]),
    });
  const katalog = add(openSource!, 'Katalog nachnutzbarer Open-Source-Komponenten', -60, 90, 'in_progress', 'joint', [
    'anna',
    'maria',
  ]);
  add(openSource!, 'Pilot souveräner Arbeitsplatz', 30, 240, 'planned', 'SH', ['jan']);
  add(dataFabric!, 'Data-Fabric-Architektur abgestimmt', -120, -10, 'done', 'MV', ['ole']);
  add(resilienz!, 'Gemeinsame Notfallübung der IT-Dienstleister', 20, 60, 'at_risk', 'DATAPORT', ['dirk', 'svenja']);
  add(onceOnly!, 'Anbindung an das Nationale Once-Only-Technical-System', 90, 400, 'planned', 'joint', ['maria']);
  add(ki!, 'Leitlinien für KI in der Verwaltung', -30, 120, 'blocked', 'SH', ['anna']);
  return katalog;
}

function actions(doc: Y.Doc, ids: Record<Key, string>, milestoneId: string, roadmapId: string) {
  const list = actionListOf(doc);
  list.addItem({
    title: 'Komponentenliste aus SH zusammenstellen',
    ownerId: ids.anna,
    organization: 'SH',
    due: isoDay(-5),
    roadmapId,
    milestoneId,
  });
  list.addItem({
    title: 'Komponentenliste aus MV zusammenstellen',
    ownerId: ids.maria,
    organization: 'MV',
    due: isoDay(-2),
    status: 'in_progress',
    roadmapId,
    milestoneId,
  });
  const done = list.addItem({
    title: 'Workshop-Protokoll versenden',
    ownerId: ids.jan,
    organization: 'SH',
    due: isoDay(-10),
  });
  list.updateItem(done, { status: 'done' });
  list.addItem({
    title: 'Betriebskonzept für den Pilotarbeitsplatz',
    ownerId: ids.dirk,
    organization: 'DATAPORT',
    due: isoDay(21),
  });
  list.addItem({
    title: 'Rechenzentrumskapazitäten in Schwerin prüfen',
    ownerId: ids.svenja,
    organization: 'DVZ',
    due: isoDay(35),
    status: 'blocked',
  });
}

async function write(store: DocumentStore, documentId: string, userId: string, fill: (doc: Y.Doc) => void) {
  const doc = new Y.Doc();
  fill(doc);
  await store.append(documentId, Y.encodeStateAsUpdate(doc), userId);
  doc.destroy();
}

/** Seeds the demo; returns the logins to print. */
export async function seedDemo(
  db: Database,
  store: DocumentStore,
): Promise<{ email: string; password: string; name: string }[]> {
  const ids = {} as Record<Key, string>;
  const logins: { email: string; password: string; name: string }[] = [];
  for (const person of people) {
    const organization = (await findOrganization(db, { code: person.org }))!;
    const password = randomBytes(12).toString('base64url');
    const user = await createUser(db, {
      email: person.email,
      name: person.name,
      organizationId: organization.id,
      passwordHash: await hashPassword(password),
      isAdmin: false,
    });
    ids[person.key] = user.id;
    logins.push({ email: person.email, password, name: person.name });
  }
  const rooms: Record<string, string> = {};
  for (const theme of agreementThemes) {
    const roomId = await createRoom(db, {
      name: `AG ${theme.name}`,
      description: `Arbeitsgruppe der Länder Schleswig-Holstein und Mecklenburg-Vorpommern zum Handlungsfeld „${theme.name}“.`,
      ownerId: ids.anna,
    });
    await setMember(db, roomId, ids.maria, 'owner');
    for (const key of ['jan', 'ole'] as const) await setMember(db, roomId, ids[key], 'editor');
    rooms[theme.id] = roomId;
  }
  const steering = await createRoom(db, {
    name: 'Lenkungskreis SH–MV',
    description: 'Prioritäten und Stand der Zusammenarbeit.',
    ownerId: ids.anna,
  });
  await setMember(db, steering, ids.maria, 'owner');
  const openSource = rooms['theme-open-source']!;
  await setMember(db, openSource, ids.dirk, 'editor');
  await setMember(db, openSource, ids.svenja, 'editor');
  const dvz = (await findOrganization(db, { code: 'DVZ' }))!;
  await setGrant(db, rooms['theme-it-resilienz']!, dvz.id, 'commenter');

  const roadmapDoc = await createDocument(db, {
    roomId: openSource,
    kind: 'roadmap',
    title: 'Roadmap Open Source 2027',
    createdBy: ids.anna,
  });
  const actionsDoc = await createDocument(db, {
    roomId: openSource,
    kind: 'actions',
    title: 'Maßnahmenliste',
    createdBy: ids.maria,
  });
  const notesDoc = await createDocument(db, {
    roomId: openSource,
    kind: 'notes',
    title: 'Workshop-Protokoll Kiel/Schwerin',
    createdBy: ids.jan,
  });
  let milestoneId = '';
  await write(store, roadmapDoc.id, ids.anna, (doc) => {
    milestoneId = roadmap(doc, ids);
  });
  await write(store, actionsDoc.id, ids.maria, (doc) => actions(doc, ids, milestoneId, roadmapDoc.id));
  await write(store, notesDoc.id, ids.jan, protocol);
  return logins;
}
