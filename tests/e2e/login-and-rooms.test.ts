import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, adoptStartPassword } from '../helpers/app.ts';
import { launchChromium, screenshot, seriousViolations } from '../helpers/browser.ts';
import { type NordraumProcess, startNordraumProcess } from '../helpers/process.ts';

const admin = { email: 'admin@dataport.example', password: 'Administrationspasswort' };
const user = { email: 'jana.jensen@sh.example', password: 'Jensens Passwort 2026' };
let server: NordraumProcess;
let browser: Browser;
let dataDir: string;
let roomName: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nordraum-e2e-'));
  server = await startNordraumProcess({
    DATA_DIR: dataDir,
    NORDRAUM_ADMIN_EMAIL: admin.email,
    NORDRAUM_ADMIN_PASSWORD: admin.password,
  });
  const api = new ApiClient(server.url);
  await api.login(admin.email, admin.password);
  const sh = (await api.get('/api/organizations')).json.organizations.find((o: { code: string }) => o.code === 'SH');
  const created = await api.post('/api/admin/users', { ...user, name: 'Jana Jensen', organizationId: sh.id });
  await adoptStartPassword(server.url, user.email, user.password);
  roomName = 'AG Registermodernisierung und Once-Only';
  const room = (await api.post('/api/rooms', { name: roomName, description: 'Gemeinsame Arbeitsgruppe SH–MV' })).json
    .room;
  await api.put(`/api/rooms/${room.id}/members/${created.json.user.id}`, { role: 'editor' });
  await api.post('/api/rooms', { name: 'Raum ohne Jana' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the first pages in a real browser', () => {
  it('sends a visitor to the login page, which passes axe-core', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Anmelden');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'login');
    await page.close();
  });

  it('shows a wrong password next to the form, in German, and passes axe-core', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill(user.email);
    await page.getByLabel('Passwort').fill('falsches Passwort');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/E-Mail-Adresse oder Passwort/i);
    expect(page.url()).toMatch(/\/login/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('logs in with the keyboard alone and lists only the rooms the user belongs to', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-Mail-Adresse').waitFor();
    // Tab from the top of the page to the e-mail field, as a keyboard user would.
    for (
      let i = 0;
      i < 20 && !(await page.getByLabel('E-Mail-Adresse').evaluate((el) => el === document.activeElement));
      i += 1
    ) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type(user.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/rooms/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Meine Datenräume');
    await expect.poll(() => page.getByRole('link', { name: roomName }).count()).toBe(1);
    expect(await page.getByText('Raum ohne Jana').count()).toBe(0);
    await expect.poll(() => page.getByText('Bearbeitung').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'rooms');

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL(/\/login/);
    const me = await page.evaluate(() => fetch('/api/me').then((r) => r.status));
    expect(me).toBe(401);
    await page.close();
  });

  it('switches to English', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/login`);
    await page
      .getByRole('button', { name: 'English' })
      .or(page.getByRole('link', { name: 'English' }))
      .first()
      .click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.close();
  });
});
