/**
 * The daily reminder job: `node scripts/bench-reminders.ts [--actions N]` (also `npm run
 * bench:reminders`).
 *
 * On a fresh embedded PostgreSQL: 200 people in 40 rooms of both Länder, each room with an action
 * list, and N actions (default 10,000) in the action index, as the server keeps it: owners spread
 * over the room's members, due dates from 30 days ago to 60 days ahead, a third done. Printed: how
 * long `enqueueDueReminders` takes (what the job runs once a day and at start), the first time
 * (it records the reminders) and again (nothing new: every reminder is there once per day), with
 * how many it recorded. Target: under 2 s for 10,000 actions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createDatabaseClient,
  createDocument,
  createRoom,
  createUser,
  enqueueDueReminders,
  findOrganization,
  runMigrations,
  seedOrganizations,
  setMember,
  startEmbeddedPostgres,
} from '@nordraum/db';
import { sql } from 'drizzle-orm';

const { values } = parseArgs({ options: { actions: { type: 'string', default: '10000' } } });
const ACTIONS = Number(values.actions);
const PEOPLE = 200;
const ROOMS = 40;
const MEMBERS_PER_ROOM = 10;

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'nordraum-bench-reminders-'));
  const postgres = await startEmbeddedPostgres({ dataDir });
  const client = createDatabaseClient({ url: postgres.url, max: 4 });
  try {
    await runMigrations(postgres.url);
    await seedOrganizations(client.db);
    const db = client.db;
    const organizations = [
      (await findOrganization(db, { code: 'SH' }))!,
      (await findOrganization(db, { code: 'MV' }))!,
    ];
    const people: string[] = [];
    for (let index = 0; index < PEOPLE; index += 1) {
      const organization = organizations[index % 2]!;
      const person = await createUser(db, {
        email: `person${index}@${organization.code.toLowerCase()}.example`,
        name: `Person ${index}`,
        organizationId: organization.id,
        passwordHash: 'not-used',
        isAdmin: false,
      });
      people.push(person.id);
    }
    const lists: { id: string; members: string[] }[] = [];
    for (let index = 0; index < ROOMS; index += 1) {
      const members = Array.from({ length: MEMBERS_PER_ROOM }, (_, k) => people[(index * 7 + k * 13) % PEOPLE]!);
      const roomId = await createRoom(db, { name: `AG ${index}`, ownerId: members[0]! });
      for (const member of members.slice(1)) await setMember(db, roomId, member, 'editor');
      const list = await createDocument(db, {
        roomId,
        kind: 'actions',
        title: `Maßnahmen ${index}`,
        createdBy: members[0]!,
      });
      lists.push({ id: list.id, members });
    }
    const rows = Array.from({ length: ACTIONS }, (_, index) => {
      const list = lists[index % ROOMS]!;
      return {
        documentId: list.id,
        itemId: `action-${index}`,
        title: `Maßnahme ${index}`,
        ownerId: list.members[index % MEMBERS_PER_ROOM]!,
        dueOffset: (index % 91) - 30,
        status: index % 3 === 0 ? 'done' : index % 3 === 1 ? 'open' : 'in_progress',
      };
    });
    await db.execute(sql`insert into action_index (document_id, item_id, title, owner_id, due, status)
      select d, i, t, o, (now() at time zone 'Europe/Berlin')::date + due_offset, s
      from unnest(${sql.param(rows.map((r) => r.documentId))}::uuid[], ${sql.param(rows.map((r) => r.itemId))}::text[],
        ${sql.param(rows.map((r) => r.title))}::text[], ${sql.param(rows.map((r) => r.ownerId))}::uuid[],
        ${sql.param(rows.map((r) => r.dueOffset))}::int[], ${sql.param(rows.map((r) => r.status))}::text[])
        as t(d, i, t, o, due_offset, s)`);
    await db.execute(sql`analyze`);

    const timed = async () => {
      const started = performance.now();
      const added = await enqueueDueReminders(db);
      return { ms: performance.now() - started, added };
    };
    const first = await timed();
    const again = await timed();
    console.log(`\nDaily reminder job, ${ACTIONS.toLocaleString('en')} actions of ${PEOPLE} people in ${ROOMS} rooms`);
    console.log('run                               ms   reminders recorded');
    console.log(`first of the day           ${first.ms.toFixed(1).padStart(9)}   ${first.added}`);
    console.log(`again the same day         ${again.ms.toFixed(1).padStart(9)}   ${again.added}`);
    console.log(`target: under 2,000 ms: ${Math.max(first.ms, again.ms) < 2_000 ? 'met' : 'missed'}`);
  } finally {
    await client.pool.end();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
