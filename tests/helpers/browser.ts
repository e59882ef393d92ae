import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where screenshots land for people to look at after a run. */
export const artifactsDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Debian's Chromium, headless, with no calls home (the test machines have no internet). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // A page a test delivers itself (route.fulfill) has no address; Chromium would count it as
      // public and refuse its requests to 127.0.0.1.
      '--disable-features=LocalNetworkAccessChecks',
    ],
  });
}

/** Serious or critical axe-core violations on the page as it is now (WCAG 2.1 A and AA). */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
}

/**
 * Saves a full-page screenshot under test-results/screenshots. The window is made as tall as the
 * page first: Chromium paints a full-page shot beyond the window, but skips what it considers
 * off-screen, so cells with `content-visibility: auto` below the fold came out blank.
 */
export async function screenshot(page: Page, name: string) {
  mkdirSync(artifactsDir, { recursive: true });
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport && height > viewport.height) {
    await page.setViewportSize({ width: viewport.width, height });
    // Two frames: one to lay out at the new size, one to paint what came into view.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  }
  try {
    await page.screenshot({ path: `${artifactsDir}${name}.png`, fullPage: true });
  } catch (error) {
    // The picture is for people to look at, not an assertion: on a loaded machine Chromium can take
    // longer than the timeout to paint a tall page, which says nothing about the page itself.
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    console.warn(`screenshot ${name} skipped: ${error.message.split('\n')[0]}`);
  } finally {
    if (viewport && height > viewport.height) await page.setViewportSize(viewport);
  }
}
