import { randomUUID } from 'node:crypto';

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

import { STORAGE_SETTING } from '../functions/platform/storage/tables';
import { createRoom, message, openMessageMenu, openRoom, send } from './chat-page';
import { expect, signIn, test } from './stack';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** axe-core's serious and critical findings on the page as it is. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

/** The numbers of the seeded messages the list has rendered ("seeded 7" is 7). */
function renderedNumbers(page: Page): Promise<number[]> {
  return page.getByTestId('message-text').evaluateAll((items) =>
    items.flatMap(
      (item) =>
        /^seeded (\d+)$/
          .exec(item.textContent?.trim() ?? '')
          ?.slice(1)
          .map(Number) ?? [],
    ),
  );
}

test('a message address opens the page around it, highlighted, with every message of the room reachable; reload, Back, Forward and Copy link keep to addresses (1280×800)', async ({
  browser,
  stack,
}) => {
  test.setTimeout(120_000);
  const ann = await signIn(browser, stack.urls.app, 'Ann');
  try {
    const { page, context } = ann;
    await page.setViewportSize(DESKTOP);
    const room = `archive-${Date.now()}`;
    const created = await page.evaluate(async (name) => {
      const response = await fetch('/api/rooms', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      return response.status;
    }, room);
    expect(created).toBe(201);
    // 300 messages through the store code the functions use: the link's page is 125-174, the rest must still be reachable.
    process.env[STORAGE_SETTING] = stack.storageConnectionString;
    const { importMessages } = await import('../functions/testing/seed.js');
    const start = Date.now() - 300_000;
    const seeded = Array.from({ length: 300 }, (_, i) => ({
      id: randomUUID(),
      room,
      text: `seeded ${i}`,
      sender: { id: 'dev-archivist', name: 'Archivist' },
      sentAt: new Date(start + i * 1000).toISOString(),
    }));
    await importMessages(room, seeded);
    const link = new URL(`/r/${room}/m/${seeded[150].id}`, stack.urls.app).href;
    const linked = page.locator(`[data-testid="message"][data-message-id="${seeded[150].id}"]`);

    await page.goto(link);
    await expect(page.getByTestId('room-title')).toContainText(room);
    await expect(linked).toBeInViewport();
    await expect(linked).toHaveClass(/highlight/);
    await expect(linked).toBeFocused();

    // Nothing hidden: scrolling down reaches the newest message and scrolling up the oldest, with none skipped.
    const list = page.getByTestId('message-list');
    const seen = new Set<number>();
    const scrollUntil = async (by: number, last: number) =>
      expect
        .poll(
          async () => {
            for (const n of await renderedNumbers(page)) seen.add(n);
            await list.evaluate((el, step) => el.scrollBy({ top: step * el.clientHeight }), by);
            // At the very top a further scroll fires no event: ask for the older page as a reader would.
            const older = page.getByTestId('load-older');
            if (by < 0 && (await older.count()) > 0) await older.click({ timeout: 500 }).catch(() => undefined);
            return seen.has(last);
          },
          { timeout: 30_000, intervals: [100] },
        )
        .toBe(true);
    await scrollUntil(3, 299);
    await scrollUntil(-3, 0);
    expect(Array.from({ length: 300 }, (_, i) => i).filter((n) => !seen.has(n))).toEqual([]);

    // Copy link (of a message now on screen, at the top): its full address, with a visible confirmation.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(link).origin });
    const item = await openMessageMenu(page, 'seeded 10');
    await item.getByTestId('menu-copy-link').click();
    await expect(item.getByTestId('link-notice')).toHaveText('Link copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(new URL(`/r/${room}/m/${seeded[10].id}`, stack.urls.app).href);

    // The copied link opens that message; a reload reopens it; the sidebar, Back and Forward move between addresses.
    const copiedMessage = page.locator(`[data-testid="message"][data-message-id="${seeded[10].id}"]`);
    await page.goto(copied);
    await page.reload();
    await expect(copiedMessage).toBeInViewport();
    await expect(copiedMessage).toHaveClass(/highlight/);
    expect(await seriousViolations(page)).toEqual([]);
    await openRoom(page, 'general');
    await expect(page).toHaveURL(/\/r\/general$/);
    await page.goBack();
    await expect(page).toHaveURL(copied);
    await expect(page.getByTestId('room-title')).toContainText(room);
    await expect(copiedMessage).toBeInViewport();
    await expect(copiedMessage).toHaveClass(/highlight/);
    await page.goForward();
    await expect(page).toHaveURL(/\/r\/general$/);
    await expect(page.getByTestId('room-title')).toContainText('general');
    await page.reload();
    await expect(page.getByTestId('room-title')).toContainText('general');
  } finally {
    await ann.context.close();
  }
});

test('a link to a room you are not in, opened signed out on a phone (390×844), signs in, offers to join and then shows the message', async ({
  browser,
  stack,
}) => {
  const ann = await signIn(browser, stack.urls.app, 'Ann');
  const phone = await browser.newContext({ viewport: PHONE });
  try {
    const room = `invite-${Date.now()}`;
    await createRoom(ann.page, room);
    const text = `come and see ${Date.now()}`;
    await send(ann.page, text);
    const sent = message(ann.page, text);
    await expect(sent).toHaveAttribute('data-status', 'sent');
    const link = new URL(`/r/${room}/m/${await sent.getAttribute('data-message-id')}`, stack.urls.app).href;

    const page = await phone.newPage();
    await page.goto(link);
    await page.getByTestId('sign-in').click();
    await page.getByLabel(/name/i).fill('Ben');
    await page.getByRole('button', { name: /sign in|continue/i }).click();
    await expect(page).toHaveURL(link);
    const offer = page.getByTestId('join-offer');
    await expect(offer).toContainText(room);
    await expect(page.getByTestId('composer-input')).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    await offer.getByTestId('join-room').click();
    const linked = message(page, text);
    await expect(linked).toBeInViewport();
    await expect(linked).toHaveClass(/highlight/);
    await expect(page.getByTestId('composer-input')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  } finally {
    await phone.close();
    await ann.context.close();
  }
});
