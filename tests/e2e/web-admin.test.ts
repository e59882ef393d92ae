// The admin console in a real browser against a real server: cross-state access through an
// organisation grant, creating people and invitations, and axe-core on every admin page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { action, admin, checkPage, expectHeading, freshPage, login, startWeb, type WebFixture } from './web-support.ts';

const outsider = {
  email: 'mats.moeller@mv.example',
  name: 'Mats Möller',
  org: 'MV',
  password: 'Möllers Passwort 2026',
};
const shUser = { email: 'sina.sommer@sh.example', name: 'Sina Sommer', org: 'SH', password: 'Sommers Passwort 2026' };
const niUser = { email: 'nils.nagel@ni.example', name: 'Nils Nagel', org: 'NI', password: 'Nagels Passwort 2026' };
const roomName = 'AG Küstenschutz Schleswig-Holstein';
let web: WebFixture;
let roomId: string;

beforeAll(async () => {
  web = await startWeb();
  await web.createUser(outsider);
  await web.createUser(niUser);
  const shId = await web.createUser(shUser);
  roomId = (await web.api.post('/api/rooms', { name: roomName, description: 'Nur für SH angelegt' })).json.room.id;
  await web.api.put(`/api/rooms/${roomId}/members/${shId}`, { role: 'editor' });
}, 120_000);

afterAll(async () => {
  await web?.close();
});

describe('the admin console', () => {
  it('lets an admin grant a whole organisation access, after which an outsider can open the room', async () => {
    const mv = await freshPage(web);
    await login(web, mv, outsider.email, outsider.password);
    await mv.goto(web.url(`/rooms/${roomId}`));
    await expectHeading(mv, 'Kein Zugriff oder nicht vorhanden');
    expect(await mv.getByRole('link', { name: 'Zu meinen Datenräumen' }).count()).toBe(1);
    await checkPage(mv, 'room-no-access');

    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, '/admin/rooms');
    await expectHeading(page, 'Datenräume');
    await page.getByRole('link', { name: roomName }).click();
    await expectHeading(page, roomName);
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Land Mecklenburg-Vorpommern (MV)' });
    await page.getByLabel('Rolle für alle Personen der Organisation').selectOption({ label: 'Bearbeitung' });
    await page.getByRole('button', { name: 'Freigeben' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Land Mecklenburg-Vorpommern' }).count())
      .toBe(1);
    await checkPage(page, 'admin-room');

    await mv.goto(web.url('/rooms'));
    await mv.getByRole('link', { name: roomName }).click();
    await expectHeading(mv, roomName);
    await expect.poll(() => mv.getByText('Bearbeitung').count()).toBeGreaterThan(0);

    // Withdrawing asks first, then takes the access away again.
    await page.getByRole('button', { name: action('Freigabe zurückziehen', 'Land Mecklenburg-Vorpommern') }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Zurückziehen' }).click();
    await expect
      .poll(() => page.getByText('Die Freigabe für „Land Mecklenburg-Vorpommern“ wurde zurückgezogen.').count())
      .toBe(1);
    const after = await web.api.get(`/api/rooms/${roomId}/grants`);
    expect(after.json.grants).toEqual([]);
    await mv.context().close();
    await page.context().close();
  });

  it('adds a member, changes the role, keeps the last owner and removes the member again', async () => {
    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, `/admin/rooms/${roomId}`);
    await expectHeading(page, roomName);
    await page.locator('#member-add-user').selectOption({ label: `${niUser.name} (NI) – ${niUser.email}` });
    await page.locator('#member-add-role').selectOption({ label: 'Kommentierung' });
    await page.getByRole('button', { name: 'Hinzufügen' }).click();
    await expect
      .poll(() => page.getByText(`${niUser.name} wurde mit der Rolle „Kommentierung“ hinzugefügt.`).count())
      .toBe(1);

    await page.getByLabel(`Rolle von ${niUser.name}`).selectOption({ label: 'Lesezugriff' });
    await page.getByRole('button', { name: action('Rolle übernehmen', niUser.name) }).click();
    await expect.poll(() => page.getByText(`${niUser.name} hat jetzt die Rolle „Lesezugriff“.`).count()).toBe(1);

    // The admin created the room and is its only owner; the server refuses, the page says why.
    await page.getByLabel('Rolle von Administration').selectOption({ label: 'Bearbeitung' });
    await page.getByRole('button', { name: action('Rolle übernehmen', 'Administration') }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'mindestens eine Leitung' }).count()).toBe(1);
    expect(await page.getByLabel('Rolle von Administration').inputValue()).toBe('owner');

    await page.getByRole('button', { name: action('Entfernen', niUser.name) }).click();
    await page.getByRole('dialog', { name: 'Mitglied entfernen?' }).getByRole('button', { name: 'Entfernen' }).click();
    await expect.poll(() => page.getByText(`${niUser.name} wurde aus dem Datenraum entfernt.`).count()).toBe(1);
    const members = (await web.api.get(`/api/rooms/${roomId}/members`)).json.members;
    expect(members.map((m: { user: { email: string } }) => m.user.email)).not.toContain(niUser.email);
    await page.context().close();
  });

  it('creates a person and an invitation; the invitation link opens an account and signs in', async () => {
    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, '/admin/users');
    await expectHeading(page, 'Personen');
    await page.locator('#user-create-email').fill('nora.nielsen@ni.example');
    await page.locator('#user-create-name').fill('Nora Nielsen');
    await page.locator('#user-create-organization').selectOption({ label: 'Land Niedersachsen (NI)' });
    await page.locator('#user-create-password').fill('Nielsens Passwort 2026');
    await page.getByRole('button', { name: 'Person anlegen' }).click();
    await expect.poll(() => page.getByText('Nora Nielsen wurde angelegt.').count()).toBe(1);
    const users = (await web.api.get('/api/admin/users')).json.users;
    expect(users.find((u: { email: string }) => u.email === 'nora.nielsen@ni.example')?.organization.code).toBe('NI');

    await page.locator('#admin-invite-email').fill('dana.dahl@dataport.example');
    await page.locator('#admin-invite-organization').selectOption({ label: 'Dataport (DATAPORT)' });
    await page.locator('#admin-invite-room').selectOption({ label: roomName });
    await page.locator('#admin-invite-role').selectOption({ label: 'Kommentierung' });
    await page.getByRole('button', { name: 'Einladungslink erstellen' }).click();
    const link = await page.locator('#admin-invite-link').inputValue({ timeout: 20_000 });
    expect(link).toMatch(/\/invite\/[a-z2-7]+$/);
    await expect.poll(() => page.getByRole('cell', { name: roomName }).count()).toBe(1);
    await checkPage(page, 'admin-users');

    const guest = await freshPage(web);
    await guest.goto(link);
    await expectHeading(guest, 'Einladung annehmen');
    await expect.poll(() => guest.getByText('dana.dahl@dataport.example').count()).toBe(1);
    // Before accepting, the person sees what the link grants: the organisation and the role.
    const granted = guest.locator('.kern-description-list');
    expect(await granted.textContent()).toContain('Dataport');
    expect(await granted.textContent()).toContain(`${roomName} (Kommentierung)`);
    await checkPage(guest, 'invitation');
    await guest.getByLabel('Ihr Name').fill('Dana Dahl');
    await guest.getByLabel('Ihr Passwort').fill('Dahls Passwort 2026');
    await guest.getByLabel('Passwort wiederholen', { exact: true }).fill('Dahls Passwort 2026');
    await guest.getByRole('button', { name: 'Konto eröffnen' }).click();
    await guest.waitForURL(/\/rooms\//, { timeout: 30_000 });
    await expectHeading(guest, roomName);
    await expect.poll(() => guest.getByText('Dana Dahl').count()).toBeGreaterThan(0);
    await expect.poll(() => guest.getByText('Kommentierung').count()).toBeGreaterThan(0);

    // A used link is gone for good.
    const again = await freshPage(web);
    await again.goto(link);
    await expectHeading(again, 'Einladung nicht gültig');
    await guest.context().close();
    await again.context().close();
    await page.context().close();
  });

  it('shows a wrong repeated password next to its field on the invitation page', async () => {
    const created = await web.api.post('/api/invitations', {
      email: 'ole.olsen@sh.example',
      organizationId: web.orgs.SH,
    });
    const guest = await freshPage(web);
    await guest.goto(created.json.invitation.link);
    await guest.getByLabel('Ihr Name').fill('Ole Olsen');
    await guest.getByLabel('Ihr Passwort').fill('Olsens Passwort 2026');
    await guest.getByLabel('Passwort wiederholen', { exact: true }).fill('etwas anderes');
    await guest.getByRole('button', { name: 'Konto eröffnen' }).click();
    const repeat = guest.getByLabel('Passwort wiederholen', { exact: true });
    await expect.poll(() => repeat.getAttribute('aria-invalid')).toBe('true');
    expect(await repeat.evaluate((el) => el === document.activeElement)).toBe(true);
    const describedBy = (await repeat.getAttribute('aria-describedby')) ?? '';
    expect(await guest.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).toMatch(
      /stimmen nicht überein/,
    );
    await guest.context().close();
  });

  it('resets a password by link and disables a person only after confirmation', async () => {
    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, '/admin/users');
    await page.getByRole('button', { name: action('Passwort zurücksetzen', shUser.name) }).click();
    const dialog = page.getByRole('dialog', { name: `Link zum Zurücksetzen für ${shUser.name}` });
    const link = await dialog.getByLabel('Link zum Zurücksetzen des Passworts').inputValue();
    expect(link).toMatch(/\/reset\/[a-z2-7]+$/);
    await dialog.getByRole('button', { name: 'Schließen' }).click();

    const person = await freshPage(web);
    await person.goto(link);
    await expectHeading(person, 'Neues Passwort festlegen');
    await expect.poll(() => person.getByText(shUser.email).count()).toBe(1);
    await checkPage(person, 'password-reset');
    await person.getByLabel('Neues Passwort', { exact: true }).fill('Sommers neues Passwort');
    await person.getByLabel('Neues Passwort wiederholen').fill('Sommers neues Passwort');
    await person.getByRole('button', { name: 'Passwort speichern' }).click();
    await person.waitForURL(/\/login\?reset=1$/);
    await expect.poll(() => person.getByText(/Ihr Passwort wurde geändert/).count()).toBe(1);
    await login(web, person, shUser.email, 'Sommers neues Passwort');
    await expectHeading(person, 'Meine Datenräume');
    await person.context().close();

    await page.getByRole('button', { name: action('Deaktivieren', outsider.name) }).click();
    const confirm = page.getByRole('dialog', { name: 'Person deaktivieren?' });
    // The safe answer has focus, so an accidental Enter changes nothing.
    expect(
      await confirm.getByRole('button', { name: 'Abbrechen' }).evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await confirm.getByRole('button', { name: 'Deaktivieren' }).click();
    await expect.poll(() => page.getByText(`${outsider.name} wurde deaktiviert.`).count()).toBe(1);
    const users = (await web.api.get('/api/admin/users')).json.users;
    expect(users.find((u: { email: string }) => u.email === outsider.email)?.disabled).toBe(true);
    await page.context().close();
  });

  it('keeps non-admins out of the console and passes axe-core on every admin page', async () => {
    const user = await freshPage(web);
    await login(web, user, niUser.email, niUser.password, '/admin/users');
    await expectHeading(user, 'Kein Zugriff');
    expect(await user.getByRole('link', { name: 'Verwaltung' }).count()).toBe(0);
    await user.context().close();

    const page = await freshPage(web);
    await login(web, page, admin.email, admin.password, '/admin');
    await expectHeading(page, 'Verwaltung');
    await checkPage(page, 'admin-overview');

    await page
      .getByRole('navigation', { name: 'Bereiche der Verwaltung' })
      .getByRole('link', { name: 'Organisationen' })
      .click();
    await expectHeading(page, 'Organisationen');
    await page.locator('#organization-create-code').fill('HH');
    await page.locator('#organization-create-name').fill('Freie und Hansestadt Hamburg');
    await page.getByRole('button', { name: 'Organisation anlegen' }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: 'Freie und Hansestadt Hamburg' }).count()).toBe(1);
    await page.getByRole('button', { name: action('Bearbeiten', 'Freie und Hansestadt Hamburg') }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Hamburg');
    await page.getByRole('dialog').getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: 'Hamburg', exact: true }).count()).toBe(1);
    await checkPage(page, 'admin-organizations');

    await page
      .getByRole('navigation', { name: 'Bereiche der Verwaltung' })
      .getByRole('link', { name: 'Datenräume' })
      .click();
    await expectHeading(page, 'Datenräume');
    await checkPage(page, 'admin-rooms');

    await page
      .getByRole('navigation', { name: 'Bereiche der Verwaltung' })
      .getByRole('link', { name: 'Protokoll' })
      .click();
    await expectHeading(page, 'Protokoll');
    await expect.poll(() => page.getByText(/Gefundene Einträge/).count()).toBe(1);
    await page.getByLabel('Aktion').selectOption({ value: 'organization.create' });
    await page.getByRole('button', { name: 'Filtern' }).click();
    await expect.poll(() => page.getByText('Gefundene Einträge: 1').count()).toBe(1);
    // German date and time with seconds, e.g. "22.11.2026, 14:05:09".
    expect(await page.locator('tbody time').first().textContent()).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}$/);
    await checkPage(page, 'admin-audit');
    await page.context().close();
  });
});
