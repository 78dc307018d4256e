/**
 * Read state, mentions and notifications across browsers and tabs: Ann has two tabs (pages of one
 * browser context, so one session), Ben another browser context.
 *
 * The Notification permission is granted to Ann's context for real, and the SPA uses the real
 * API; an init script only wraps `window.Notification` to record what is shown. Headless
 * Chromium reports every page as visible, so the same script lets a test say a tab is hidden
 * (`document.visibilityState` and a `visibilitychange` event, as when the user switches tabs).
 */
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';

import { createRoom, message, openMessageMenu, openRoom, roomButton, send } from './chat-page';
import { expect, signIn, test } from './stack';

interface Shown {
  readonly title: string;
  readonly body: string | undefined;
  readonly tag: string | undefined;
  /** Set when the notification went away: closed, or replaced by another with its tag. */
  closed: boolean;
}

declare global {
  interface Window {
    hubbubShown?: Shown[];
    /** The notification this tab shows now, if any: what a user could click. */
    hubbubOpen?: Notification;
    hubbubHidden?: boolean;
    /** How many times the page asked for the permission (`Notification.requestPermission`). */
    hubbubAsked?: number;
  }
}

function recordNotifications(): void {
  const Real = window.Notification;
  window.hubbubShown = [];
  window.hubbubAsked = 0;
  class Recorded extends Real {
    static override requestPermission(callback?: NotificationPermissionCallback): Promise<NotificationPermission> {
      window.hubbubAsked = (window.hubbubAsked ?? 0) + 1;
      return Real.requestPermission(callback);
    }

    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      const entry: Shown = { title, body: options?.body, tag: options?.tag, closed: false };
      window.hubbubShown?.push(entry);
      window.hubbubOpen = this;
      this.addEventListener('close', () => {
        entry.closed = true;
        if (window.hubbubOpen === this) window.hubbubOpen = undefined;
      });
    }
  }
  window.Notification = Recorded;
  const state = () => (window.hubbubHidden ? 'hidden' : 'visible');
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: state });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => state() === 'hidden' });
}

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    window.hubbubHidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

const shown = (page: Page) => page.evaluate(() => window.hubbubShown ?? []);
const showing = (page: Page) => page.evaluate(() => window.hubbubOpen?.tag);

/** A user's click on the notification a tab shows (headless Chromium draws none to click). */
const clickNotification = (page: Page) => page.evaluate(() => window.hubbubOpen?.dispatchEvent(new Event('click')));

/** A second tab of the same person: a page of the same context, signed in already. */
async function secondTab(context: BrowserContext, appUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(appUrl);
  await page
    .getByTestId('connection-state')
    .filter({ hasText: /^\s*connected\s*$/ })
    .waitFor();
  return page;
}

const unread = (page: Page, room: string) => roomButton(page, room).getByTestId('room-unread');
const mentions = (page: Page, room: string) => roomButton(page, room).getByTestId('room-mentions');

test('a mention raises the badge and a notification; reading in one tab clears the other within a second; read state survives a reload', async ({
  browser,
  stack,
}) => {
  test.setTimeout(120_000);
  const app = stack.urls.app;
  const ann = await signIn(browser, app, 'Ann');
  const ben = await signIn(browser, app, 'Ben');
  // Someone who signed in and is not in the room: the @ list must not offer them.
  const cy = await signIn(browser, app, 'Cy');
  await cy.context.close();
  try {
    await ann.context.addInitScript(recordNotifications);
    await ann.page.reload();
    // Nothing is asked on load (not even a prompt answered or dismissed): the permission is still
    // undecided, and a button offers it.
    const asked = () => ann.page.evaluate(() => window.hubbubAsked);
    await ann.page
      .getByTestId('connection-state')
      .filter({ hasText: /^\s*connected\s*$/ })
      .waitFor();
    await ann.page.getByTestId('notification-settings-open').click();
    await expect(ann.page.getByTestId('push-turn-on')).toBeVisible();
    expect(await asked()).toBe(0);
    expect(await ann.page.evaluate(() => Notification.permission)).toBe('default');
    await ann.context.grantPermissions(['notifications'], { origin: new URL(app).origin });
    await ann.page.getByTestId('push-turn-on').click();
    // Asked once, on the click. (Whether the push service then answers is push.spec.ts's concern.)
    await expect.poll(asked).toBe(1);
    expect(await ann.page.evaluate(() => Notification.permission)).toBe('granted');
    await ann.page.getByTestId('settings-close').click();

    const room = `mentions-${Date.now()}`;
    // A room of Ann's that Ben is not in: his sidebar offers to join it (audited below too).
    await createRoom(ann.page, `elsewhere-${Date.now()}`);
    await createRoom(ben.page, room);
    await roomButton(ann.page, room).click();
    await expect(ann.page.getByTestId('room-title')).toContainText(room);
    await openRoom(ann.page, 'general');
    const tab1 = ann.page;
    const tab2 = await secondTab(ann.context, app);
    await setHidden(tab1, true);
    await setHidden(tab2, true);

    // Ben picks Ann from the @ list: a combobox the keyboard drives.
    const box = ben.page.getByTestId('composer-input');
    await box.fill('');
    // Only the room's members are offered (Ben himself left out), whoever else has signed in.
    await box.pressSequentially('@');
    await expect(ben.page.getByRole('option')).toHaveText(['@Ann', /^@room/]);
    await box.pressSequentially('An');
    await expect(box).toHaveAttribute('role', 'combobox');
    await expect(box).toHaveAttribute('aria-expanded', 'true');
    const option = ben.page.getByRole('option', { name: '@Ann' });
    await expect(option).toHaveAttribute('aria-selected', 'true');
    await expect(box).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id')) ?? '');
    const audit = await new AxeBuilder({ page: ben.page }).analyze();
    expect(
      audit.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    ).toEqual([]);
    await box.press('Enter');
    await expect(box).toHaveValue('@Ann ');
    await expect(box).toHaveAttribute('aria-expanded', 'false');
    await box.pressSequentially('look at this');
    await box.press('Enter');
    await expect(message(ben.page, '@Ann look at this')).toBeVisible();

    for (const tab of [tab1, tab2]) {
      await expect(mentions(tab, room)).toHaveText('@1');
      await expect(unread(tab, room)).toHaveText('1');
    }
    const raised = expect.objectContaining({ title: `Ben in #${room}`, body: '@Ann look at this' });
    for (const tab of [tab1, tab2]) await expect.poll(() => shown(tab)).toContainEqual(raised);
    // Both hidden tabs raise it under one tag, so the browser shows it once: the later one replaces
    // the earlier, which closes. Whichever tab's notification is on screen, clicking it opens the
    // room there.
    const [tag] = (await shown(tab1)).map((n) => n.tag);
    await expect.poll(async () => [await showing(tab1), await showing(tab2)].filter(Boolean)).toEqual([tag]);
    const [reader, other] = (await showing(tab1)) ? [tab1, tab2] : [tab2, tab1];
    await clickNotification(reader);
    await expect(reader.getByTestId('room-title')).toContainText(room);
    expect(await showing(reader)).toBeUndefined();
    await expect(other.getByTestId('room-title')).toContainText('general');

    // Reading the room in one tab clears the other.
    await setHidden(reader, false);
    const read = Date.now();
    await expect(mentions(other, room)).toHaveCount(0, { timeout: 1_000 });
    await expect(unread(other, room)).toHaveCount(0, { timeout: 1_000 });
    test.info().annotations.push({ type: 'other tab cleared after', description: `${Date.now() - read} ms` });
    const chip = message(reader, '@Ann look at this').getByTestId('mention');
    await expect(chip).toHaveText('@Ann');
    await expect(chip).toHaveClass(/self/);

    // Mark as unread in one tab: the other shows it unread again, and so does a reload.
    const item = await openMessageMenu(reader, '@Ann look at this');
    await item.getByTestId('menu-mark-unread').click();
    await expect(unread(other, room)).toHaveText('1');
    await other.reload();
    await expect(unread(other, room)).toHaveText('1');
    await expect(mentions(other, room)).toHaveText('@1');

    // Read again, then reload both: still read.
    await openRoom(other, 'general');
    await openRoom(reader, 'general');
    await openRoom(reader, room);
    await expect(unread(other, room)).toHaveCount(0);
    await openRoom(reader, 'general');
    for (const tab of [reader, other]) {
      await tab.reload();
      await expect(tab.getByTestId('room-title')).toContainText('general');
      await expect(roomButton(tab, room)).toBeVisible();
      await expect(unread(tab, room)).toHaveCount(0);
    }

    // "Nothing" chosen in one tab (the room's bell opens its level): the same in the other, and a
    // mention raises the count but no notification.
    const bell = (tab: Page) => tab.locator(`[data-room="${room}"] ~ [data-testid="room-notifications"]`);
    await expect(bell(reader)).not.toHaveAttribute('aria-label', /: nothing$/);
    await bell(reader).click();
    const level = reader.locator(`[data-testid="room-level"][data-room="${room}"]`);
    await expect(level.getByRole('radio', { name: 'Mentions' })).toBeFocused();
    await level.getByRole('radio', { name: 'Nothing' }).check();
    await expect(bell(reader)).toHaveAttribute('aria-label', /: nothing$/);
    await reader.getByTestId('settings-close').click();
    await expect(bell(other)).toHaveAttribute('aria-label', /: nothing$/);
    await setHidden(reader, true);
    const before = (await shown(reader)).length;
    await box.pressSequentially('@Ann');
    await box.press('Enter');
    await box.pressSequentially('quietly');
    await box.press('Enter');
    await expect(message(ben.page, '@Ann quietly')).toBeVisible();
    await expect(mentions(reader, room)).toHaveText('@1');
    // The notification for a direct message from Ben goes through the same path: once it is shown,
    // the muted room's would have been too.
    // Exactly Ann: other specs' people share the stack (an "Ann 1796…" too).
    await ben.page.getByRole('button', { name: 'Message Ann', exact: true }).click();
    await expect(ben.page.getByTestId('room-title')).toContainText('Ann');
    await send(ben.page, 'a direct word');
    await expect
      .poll(() => shown(reader))
      .toContainEqual(expect.objectContaining({ title: 'Ben', body: 'a direct word' }));
    expect((await shown(reader)).slice(before).map((n) => n.body)).toEqual(['a direct word']);
  } finally {
    await ann.context.close();
    await ben.context.close();
  }
});

test('the @ list closes when the caret leaves the @word, and mentions the one picked of two people with one name', async ({
  browser,
  stack,
}) => {
  const app = stack.urls.app;
  const name = `Twin ${Date.now()}`;
  const first = await signIn(browser, app, name);
  const second = await signIn(browser, app, name, 'github');
  const ben = await signIn(browser, app, 'Ben');
  try {
    const box = ben.page.getByTestId('composer-input');
    await box.pressSequentially('hi @Twi');
    await expect(ben.page.getByRole('option')).toHaveText([`@${name}`, `@${name}`]);
    await box.press('Home');
    await expect(box).toHaveAttribute('aria-expanded', 'false');
    await box.press('End');
    await expect(box).toHaveAttribute('aria-expanded', 'true');
    // Options of one name come in id order: "dev-…" (the first) before "github-…" (the second).
    await box.press('ArrowDown');
    await box.press('Enter');
    await expect(box).toHaveValue(`hi @${name} `);
    await box.pressSequentially('and you');
    await box.press('Enter');
    const text = `hi @${name} and you`;
    await expect(message(ben.page, text)).toBeVisible();
    const chip = (page: Page) => message(page, text).getByTestId('mention');
    await expect(chip(second.page)).toHaveText(`@${name}`);
    await expect(chip(second.page)).toHaveClass(/mention-self/);
    await expect(chip(first.page)).toHaveText(`@${name}`);
    await expect(chip(first.page)).not.toHaveClass(/mention-self/);
  } finally {
    for (const person of [first, second, ben]) await person.context.close();
  }
});

test('a draft stays with its room across room switches and reloads, and goes once sent', async ({ browser, stack }) => {
  const { context, page } = await signIn(browser, stack.urls.app, 'Dee');
  try {
    const room = `drafts-${Date.now()}`;
    await createRoom(page, room);
    const box = page.getByTestId('composer-input');
    await box.fill('half a thought');
    await openRoom(page, 'general');
    await expect(box).toHaveValue('');
    await box.fill('general draft');
    await openRoom(page, room);
    await expect(box).toHaveValue('half a thought');
    // A reload reopens the room you were in (its address), with its draft; general's is kept too.
    await page.reload();
    await expect(page.getByTestId('room-title')).toContainText(room);
    await expect(box).toHaveValue('half a thought');
    await openRoom(page, 'general');
    await expect(box).toHaveValue('general draft');
    await openRoom(page, room);
    await expect(box).toHaveValue('half a thought');
    await box.press('Enter');
    await expect(message(page, 'half a thought')).toBeVisible();
    await page.reload();
    await openRoom(page, room);
    await expect(box).toHaveValue('');
  } finally {
    await context.close();
  }
});

test('messages sit at the bottom, under a day separator, one sender grouped under one name', async ({
  browser,
  stack,
}) => {
  const { context, page } = await signIn(browser, stack.urls.app, 'Eve');
  try {
    const room = `groups-${Date.now()}`;
    await createRoom(page, room);
    await send(page, 'first of mine');
    await send(page, 'second of mine');
    await expect(page.getByTestId('day-separator')).toHaveText('Today');
    await expect(page.getByRole('heading', { name: 'Today' })).toBeVisible();
    const second = message(page, 'second of mine');
    await expect(second).toHaveClass(/grouped/);
    await expect(message(page, 'first of mine')).not.toHaveClass(/grouped/);
    // The name is still there for screen readers, just not repeated on screen.
    await expect(second.getByTestId('message-sender')).toHaveText('Eve');
    // Newest at the bottom: the last message ends near the bottom of the list, not at the top.
    const list = await page.getByTestId('message-list').boundingBox();
    const last = await second.boundingBox();
    expect(list && last && list.y + list.height - (last.y + last.height)).toBeLessThan(60);
  } finally {
    await context.close();
  }
});
