import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/app.ts';
import { checkPage, expectHeading, freshPage, login, startWeb, type WebFixture } from './web-support.ts';

const person = { email: 'svenja.soerensen@sh.example', name: 'Svenja Sörensen', password: 'Startpasswort vom Admin' };
const ownPassword = 'Svenjas eigenes Passwort 2026';
let web: WebFixture;

beforeAll(async () => {
  web = await startWeb();
  // Created as an administrator does it in the admin pages: with a start password they chose.
  const created = await web.api.post('/api/admin/users', {
    email: person.email,
    name: person.name,
    password: person.password,
    organizationId: web.orgs.SH,
  });
  expect(created.status).toBe(201);
}, 120_000);
afterAll(() => web?.close());

describe('a start password in the browser', () => {
  it('sends the person to the password form after login and keeps them there until they set their own', async () => {
    const page = await freshPage(web);
    await login(web, page, person.email, person.password);
    await page.waitForURL((url) => url.pathname === '/account');
    await expectHeading(page, 'Mein Konto');
    await expect
      .poll(() =>
        page.getByRole('status').filter({ hasText: 'Bitte legen Sie zuerst Ihr eigenes Passwort fest' }).count(),
      )
      .toBe(1);
    // Only the password form: the other forms would be refused.
    await expect.poll(() => page.getByRole('button', { name: 'Namen speichern' }).count()).toBe(0);
    await checkPage(page, 'start-password-account');

    // Any other address leads back here.
    await page.goto(web.url('/rooms'));
    await page.waitForURL((url) => url.pathname === '/account');

    // The start password itself does not count as one's own.
    await page.locator('#account-current-password').fill(person.password);
    await page.locator('#account-password-new').fill(person.password);
    await page.locator('#account-password-repeat').fill(person.password);
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await expect
      .poll(() => page.getByText('Wählen Sie ein anderes Passwort als das Startpasswort.').count())
      .toBeGreaterThan(0);

    await page.locator('#account-current-password').fill(person.password);
    await page.locator('#account-password-new').fill(ownPassword);
    await page.locator('#account-password-repeat').fill(ownPassword);
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await expect.poll(() => page.getByText('Ihr Passwort wurde geändert.').count()).toBe(1);
    await checkPage(page, 'start-password-replaced');
    await page.getByRole('link', { name: 'Weiter zu den Datenräumen' }).click();
    await page.waitForURL((url) => url.pathname === '/rooms');
    await expectHeading(page, /Datenräume/);

    // From now on the person's own password is the one that opens the account.
    const api = new ApiClient(web.server.url);
    await api.login(person.email, ownPassword);
    expect((await api.get('/api/me')).json.user.mustChangePassword).toBe(false);
    await page.context().close();
  }, 90_000);
});
