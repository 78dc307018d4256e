import { randomUUID } from 'node:crypto';

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

import { STORAGE_SETTING } from '../functions/platform/storage/tables';
import { createRoom, roomButton, send } from './chat-page';
import { expect, signIn, test, withPeople } from './stack';

test('a room with 10,000 messages opens on the newest page, keeps the DOM bounded while scrolling back, and jumps to latest', async ({
  browser,
  stack,
}) => {
  test.setTimeout(180_000);
  await withPeople(browser, stack.urls.app, ['Ann'], async ([ann]) => {
    const name = `archive-${Date.now()}`;
    const created = await ann.page.evaluate(async (room) => {
      const response = await fetch('/api/rooms', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: room }),
      });
      return response.status;
    }, name);
    expect(created).toBe(201);
    // Seed through the same store code the functions use, straight into this stack's Azurite.
    process.env[STORAGE_SETTING] = stack.storageConnectionString;
    const { importMessages } = await import('../functions/testing/seed.js');
    const start = Date.now() - 10_000 * 1000;
    const messages = Array.from({ length: 10_000 }, (_, i) => ({
      id: randomUUID(),
      room: name,
      text: `archived ${i}`,
      sender: { id: 'dev-archivist', name: 'Archivist' },
      sentAt: new Date(start + i * 1000).toISOString(),
    }));
    await importMessages(name, messages);

    await ann.page.reload();
    const opened = Date.now();
    await roomButton(ann.page, name).click();
    await expect(ann.page.getByTestId('message-text').filter({ hasText: /^archived 9999$/ })).toBeVisible();
    test.info().annotations.push({ type: 'newest page rendered after', description: `${Date.now() - opened} ms` });

    const list = ann.page.getByTestId('message-list');
    const count = () => ann.page.getByTestId('message').count();
    const oldestShown = async () =>
      Number((await ann.page.getByTestId('message-text').first().textContent())?.replace(/\D/g, ''));
    let oldest = await oldestShown();
    let maxNodes = await count();
    // Scroll back through twelve pages' worth (600 messages); the DOM must stay bounded all the way.
    const scrollUp = async () => {
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
      const loadOlder = ann.page.getByTestId('load-older');
      if (await loadOlder.isEnabled().catch(() => false)) await loadOlder.click().catch(() => undefined);
      maxNodes = Math.max(maxNodes, await count());
      return oldestShown();
    };
    while (oldest > 10_000 - 600) {
      const before = oldest;
      await expect.poll(scrollUp, { timeout: 15_000 }).toBeLessThan(before);
      oldest = await oldestShown();
    }
    expect(maxNodes).toBeLessThanOrEqual(200);
    test.info().annotations.push({ type: 'most message nodes in the DOM', description: String(maxNodes) });

    await ann.page.getByTestId('jump-latest').click();
    await expect(ann.page.getByTestId('message-text').filter({ hasText: /^archived 9999$/ })).toBeInViewport();
  });
});

test('new messages are marked where they start, and the tab title counts unread ones', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const name = `quiet-${Date.now()}`;
    await createRoom(ann.page, name);
    await expect(ann.page).toHaveTitle(/^Hubbub/);
    const p = `while away ${Date.now()}`;
    await send(ben.page, `${p} 1`);
    await send(ben.page, `${p} 2`);
    await expect(ann.page).toHaveTitle(/^\(2\) /);
    await expect(roomButton(ann.page, 'general').getByTestId('room-unread')).toHaveText('2');
    await roomButton(ann.page, 'general').click();
    const divider = ann.page.getByTestId('new-messages-divider');
    await expect(divider).toBeVisible();
    // The divider sits right before the first unread message.
    const next = divider.locator('xpath=following-sibling::li[1]');
    await expect(next.getByTestId('message-text')).toHaveText(`${p} 1`);
    await expect(ann.page).not.toHaveTitle(/^\(\d+\)/);
  });
});

test('the chat works from the keyboard: Enter sends, Shift+Enter adds a line', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Ann'], async ([ann]) => {
    const input = ann.page.getByTestId('composer-input');
    await input.focus();
    const first = `line one ${Date.now()}`;
    await ann.page.keyboard.type(first);
    await ann.page.keyboard.press('Shift+Enter');
    await ann.page.keyboard.type('line two');
    await expect(input).toHaveValue(`${first}\nline two`);
    await ann.page.keyboard.press('Enter');
    const message = ann.page.getByTestId('message-text').filter({ hasText: first });
    await expect(message).toHaveText(`${first}\nline two`);
    await expect(input).toHaveValue('');
    await expect(input).toBeFocused();
  });
});

test('an axe-core audit finds no serious or critical accessibility violation', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Ann'], async ([ann]) => {
    await send(ann.page, `audit ${Date.now()}`);
    const results = await new AxeBuilder({ page: ann.page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
    expect(serious).toEqual([]);
    await ann.page.goto(`${stack.urls.app}/api/login`);
    const login = await new AxeBuilder({ page: ann.page }).analyze();
    expect(login.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
      [],
    );
  });
});

test('usable at 360 px wide, and follows the system dark mode', async ({ browser, stack }) => {
  const light = await signIn(browser, stack.urls.app, 'Ann');
  const narrowContext = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
  await narrowContext.addCookies(await light.context.cookies());
  const page = await narrowContext.newPage();
  try {
    await page.goto(stack.urls.app);
    await expect(page.getByTestId('connection-state')).toHaveText(/^\s*connected\s*$/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const text = `small screen ${Date.now()}`;
    await expect(page.getByTestId('composer-input')).toBeInViewport();
    await send(page, text);
    await expect(page.getByTestId('message-text').filter({ hasText: text })).toBeInViewport();

    const luminance = (p: Page) =>
      p.evaluate(() => {
        const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number) as [
          number,
          number,
          number,
        ];
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      });
    expect(await luminance(page)).toBeLessThan(80);
    expect(await luminance(light.page)).toBeGreaterThan(180);
  } finally {
    await narrowContext.close();
    await light.context.close();
  }
});
