import { randomBytes, randomUUID } from 'node:crypto';

import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';

import { STORAGE_SETTING } from '../functions/platform/storage/tables';
import { createRoom, message, messageText, openRoom, send } from './chat-page';
import { expect, test, withPeople } from './stack';

/** axe-core's serious and critical findings on the page as it is. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

/**
 * Words and names of this run only: one stack serves every spec in CI, and a person (a name) is
 * the same person in every spec, with every room they joined there searched too.
 */
function runTag(): string {
  return `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/** Creates a room straight through the API as the signed-in person. */
async function createRoomByApi(page: Page, name: string, isPrivate = false): Promise<void> {
  const status = await page.evaluate(
    async ({ name, isPrivate }) =>
      (
        await fetch('/api/rooms', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, ...(isPrivate && { private: true }) }),
        })
      ).status,
    { name, isPrivate },
  );
  expect(status).toBe(201);
}

/** Posts a message as the signed-in person straight to the API (what the composer does). */
async function post(page: Page, room: string, text: string): Promise<void> {
  const status = await page.evaluate(
    async ({ room, text }) =>
      (
        await fetch('/api/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: crypto.randomUUID(), room, text }),
        })
      ).status,
    { room, text },
  );
  expect(status).toBeLessThan(300);
}

/** The texts the search API answers for `q`, as the signed-in person (the panel's own request). */
function searchTexts(page: Page, q: string): Promise<string[]> {
  return page.evaluate(async (query) => {
    const response = await fetch(`/api/search?q=${encodeURIComponent(query)}`);
    if (!response.ok) throw new Error(`search answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { results: { message: { text: string } }[] };
    return body.results.map((result) => result.message.text);
  }, q);
}

/** Types `q` into the open search panel and waits for the results of exactly that query. */
async function searchFor(page: Page, q: string, count: number): Promise<Locator> {
  const panel = page.getByTestId('search-panel');
  await expect(panel).toBeVisible();
  const input = panel.getByTestId('search-input');
  await expect(input).toBeFocused();
  await input.fill(q);
  await input.press('Enter');
  const results = panel.getByTestId('search-result');
  await expect(results).toHaveCount(count);
  await expect(panel.getByTestId('search-status')).toHaveText(
    count === 0 ? 'No messages match' : `${count} message${count === 1 ? '' : 's'}`,
  );
  return results;
}

test('search from the top bar: sender, room, time and the matched words; arrows and Enter open a result in a room of 2,000 messages, highlighted in context; axe with the results open', async ({
  browser,
  stack,
}) => {
  test.setTimeout(180_000);
  const tag = runTag();
  const word = `kumquat${tag}`;
  const ann = `Ann ${tag}`;
  const ben = `Ben ${tag}`;
  await withPeople(browser, stack.urls.app, [ann, ben], async ([annPage, benPage]) => {
    const { page } = annPage;
    await page.setViewportSize({ width: 1280, height: 800 });
    const room = `search-${tag}`;
    await createRoom(page, room);
    await openRoom(page, 'general');

    // 2,000 messages through the functions' own store code; the word is in three of them. The
    // room's index is built from its log with the documented rebuild (what a catch-up would do,
    // at the rebuild's pace: a search alone waits at most 2 s for a room to catch up).
    process.env[STORAGE_SETTING] = stack.storageConnectionString;
    const { importMessages } = await import('../functions/testing/seed.js');
    const { rebuildIndex } = await import('../functions/domain/search/search-index.js');
    const special = new Map([
      [300, `First draft of the ${word} plan, for Friday`],
      [600, `Decided: the ${word.toUpperCase()} launch moves to Friday`],
      [1500, `Reminder: ${word} is on Friday`],
    ]);
    const start = Date.now() - 3_000_000;
    const seeded = Array.from({ length: 2000 }, (_, i) => ({
      id: randomUUID(),
      room,
      text: special.get(i) ?? `filler ${i}`,
      sender: { id: 'dev-archivist', name: 'Archivist' },
      sentAt: new Date(start + i * 1000).toISOString(),
    }));
    await importMessages(room, seeded);
    expect((await rebuildIndex(room)).messages).toBe(2000);

    // Ben says it live in general: the newest result, found once the index has it.
    await send(benPage.page, `Is ${word} still on for friday?`);
    await expect(message(benPage.page, `Is ${word} still on for friday?`)).toHaveAttribute('data-status', 'sent');
    await expect.poll(() => searchTexts(page, `${word} fri`), { timeout: 30_000 }).toHaveLength(4);

    // The top bar's Search opens the panel with the box focused.
    await page.getByTestId('search-open').click();
    const results = await searchFor(page, `${word} fri`, 4);

    // Newest first: sender, room, time, and both words marked as written (case-blind, "fri" a prefix).
    await expect(results.nth(0).locator('.sender')).toHaveText(ben);
    await expect(results.nth(0).locator('.room')).toHaveText('in #general');
    await expect(results.nth(0).locator('mark')).toHaveText([word, 'friday']);
    for (const [n, i] of [
      [1, 1500],
      [2, 600],
      [3, 300],
    ] as const) {
      const result = results.nth(n);
      await expect(result.locator('.sender')).toHaveText('Archivist');
      await expect(result.locator('.room')).toHaveText(`in #${room}`);
      await expect(result.locator('time')).toHaveAttribute('datetime', seeded[i].sentAt);
      await expect(result.locator('time')).not.toBeEmpty();
      await expect(result.locator('.text')).toHaveText(seeded[i].text);
    }
    await expect(results.nth(2).locator('mark')).toHaveText([word.toUpperCase(), 'Friday']);

    // Keyboard: the first result is active; ↓ and ↑ move and wrap; the box keeps the focus.
    const input = page.getByTestId('search-input');
    const active = () => input.getAttribute('aria-activedescendant');
    await expect(results.nth(0)).toHaveAttribute('aria-selected', 'true');
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown']) await input.press(key);
    await expect(results.nth(3)).toHaveAttribute('aria-selected', 'true');
    await input.press('ArrowDown');
    await expect(results.nth(0)).toHaveAttribute('aria-selected', 'true');
    await input.press('ArrowUp');
    await expect(results.nth(3)).toHaveAttribute('aria-selected', 'true');
    await input.press('ArrowUp');
    await expect(results.nth(2)).toHaveAttribute('aria-selected', 'true');
    await expect(results.nth(3)).toHaveAttribute('aria-selected', 'false');
    expect(await active()).toBe(await results.nth(2).getAttribute('id'));
    await expect(input).toBeFocused();

    // The panel with its results passes axe.
    expect(await seriousViolations(page)).toEqual([]);

    // Enter opens the active result at its address: the message highlighted among its neighbours.
    await input.press('Enter');
    await expect(page.getByTestId('search-panel')).toBeHidden();
    const target = seeded[600];
    await expect(page).toHaveURL(new RegExp(`/r/${room}/m/${target.id}$`));
    await expect(page.getByTestId('room-title')).toContainText(room);
    const linked = page.locator(`[data-testid="message"][data-message-id="${target.id}"]`);
    await expect(linked).toBeInViewport();
    await expect(linked).toHaveClass(/highlight/);
    await expect(linked).toBeFocused();
    await expect(messageText(page, 'filler 599')).toBeInViewport();
    await expect(messageText(page, 'filler 601')).toBeInViewport();

    // Reopened, the panel offers the search as a recent one.
    await page.keyboard.press('Control+Shift+F');
    await expect(input).toBeFocused();
    await input.fill('');
    await expect(page.getByTestId('search-recent').first()).toContainText(`${word} fri`);
    await input.press('Escape');
    await expect(page.getByTestId('search-panel')).toBeHidden();
  });
});

test("a private room's messages are found by its members only", async ({ browser, stack }) => {
  const tag = runTag();
  const word = `quince${tag}`;
  const cat = `Cat ${tag}`;
  const dan = `Dan ${tag}`;
  await withPeople(browser, stack.urls.app, [cat, dan], async ([catPage, danPage]) => {
    const room = `secret-${tag}`;
    await createRoomByApi(catPage.page, room, true);
    await post(catPage.page, room, `The ${word} numbers are in`);
    await post(catPage.page, 'general', `Anyone seen the ${word} report?`);

    // Its member finds both (Ctrl/⌘+Shift+F opens the panel anywhere in the app).
    await expect.poll(() => searchTexts(catPage.page, word), { timeout: 30_000 }).toHaveLength(2);
    await catPage.page.keyboard.press('Control+Shift+F');
    const catResults = await searchFor(catPage.page, word, 2);
    await expect(catResults.nth(0).locator('.room')).toHaveText('in #general');
    await expect(catResults.nth(1).locator('.room')).toHaveText(`in #${room}`);

    // Someone else finds only the message in general, even when naming the room.
    expect(await searchTexts(danPage.page, word)).toEqual([`Anyone seen the ${word} report?`]);
    expect(await searchTexts(danPage.page, `${word} in:${room}`)).toEqual([]);
    await danPage.page.keyboard.press('Control+Shift+F');
    const danResults = await searchFor(danPage.page, word, 1);
    await expect(danResults.nth(0).locator('.room')).toHaveText('in #general');
    await expect(danPage.page.getByTestId('search-panel')).not.toContainText(room);
    await expect(danPage.page.getByTestId('search-panel')).not.toContainText('numbers are in');
    await searchFor(danPage.page, `${word} in:${room}`, 0);
  });
});
