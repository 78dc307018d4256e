/**
 * Reactions from the emoji picker (issue #21 point 9) and the small things of point 10, in real
 * Chromium at desktop (1280x800) and phone (390x844) sizes, two people in two browser contexts.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';

import {
  createRoom,
  message,
  messageText,
  openMessageMenu,
  openRoom,
  pickEmoji,
  reaction,
  roomButton,
  send,
} from './chat-page';
import { expect, test, withPeople } from './stack';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function seriousViolations(page: Page): Promise<string[]> {
  const audit = await new AxeBuilder({ page }).analyze();
  return audit.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Hovers the message (its actions show on hover) and opens its emoji picker with the Add reaction button. */
async function openPicker(page: Page, text: string): Promise<Locator> {
  const item = message(page, text);
  await item.hover();
  await item.getByTestId('add-reaction').click();
  await expect(item.getByTestId('reaction-picker')).toBeVisible();
  return item;
}

/** On a phone the rooms are behind the Rooms button: opens that list if it is closed. */
async function showRooms(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: /^\s*Rooms/ });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
}

async function goTo(page: Page, room: string): Promise<void> {
  await showRooms(page);
  await openRoom(page, room);
}

/** Whether the box lies inside the page's viewport. */
async function inViewport(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize();
  return (
    !!box && !!size && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height
  );
}

for (const viewport of VIEWPORTS) {
  test(`${viewport.name}: an Add reaction button on every message opens a lazily loaded picker (search, skin tones, recently used) served by the app; :shortcodes complete in the box; axe finds nothing serious`, async ({
    browser,
    stack,
  }) => {
    // axe over a page holding the picker's ~1,900 emoji buttons takes a while on a busy machine.
    test.setTimeout(180_000);
    await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
      for (const person of [ann, ben]) await person.page.setViewportSize(viewport);
      const page = ben.page;
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const cspViolations: string[] = [];
      page.on('console', (entry) => {
        if (/Content Security Policy/i.test(entry.text())) cspViolations.push(entry.text());
      });
      const text = `pick ${viewport.name} ${Date.now()}`;
      await send(ann.page, text);
      await expect(messageText(page, text)).toBeVisible();
      const scriptsBefore = requests.filter((url) => url.endsWith('.js')).length;
      expect(requests.some((url) => url.includes('emoji/data.json'))).toBe(false);

      // The button opens the picker; its code and data arrive only now, from the app's own origin.
      const item = await openPicker(page, text);
      const picker = item.getByTestId('reaction-picker');
      await expect(picker.getByRole('combobox', { name: 'Search' })).toBeFocused();
      expect(await inViewport(page, picker)).toBe(true);
      expect(requests.filter((url) => url.endsWith('.js')).length).toBeGreaterThan(scriptsBefore);
      const data = requests.filter((url) => url.includes('emoji/data.json'));
      expect(data.length).toBeGreaterThan(0);
      expect(data.every((url) => new URL(url).origin === new URL(stack.urls.app).origin)).toBe(true);
      expect(requests.filter((url) => /jsdelivr|unpkg|cdn/.test(url))).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);

      // Search by name.
      await pickEmoji(item, 'fox', '🦊');
      await expect(reaction(message(ann.page, text), '🦊')).toHaveAttribute('aria-label', '🦊 1: Ben');
      await expect(item.getByTestId('add-reaction')).toBeFocused();

      // A skin tone, kept for the next pick.
      await openPicker(page, text);
      await picker.locator('#skintone-button').click();
      await picker.locator('#skintone-3').click();
      await pickEmoji(item, 'thumbs up', '👍🏽');
      await expect(reaction(message(ann.page, text), '👍🏽')).toHaveAttribute('aria-label', '👍🏽 1: Ben');

      // Recently used: the picker of another message shows the fox in its first row (kept in
      // IndexedDB); Escape closes it and the focus returns to its button.
      const next = `${text} again`;
      await send(ann.page, next);
      const other = await openPicker(page, next);
      const otherPicker = other.getByTestId('reaction-picker');
      await expect(
        otherPicker.getByRole('menu', { name: 'Favorites' }).getByRole('menuitem', { name: /^🦊/ }),
      ).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(otherPicker).toBeHidden();
      await expect(other.getByTestId('add-reaction')).toBeFocused();

      // "Other reaction…" in the menu opens the same picker.
      const menu = await openMessageMenu(page, text);
      await menu.getByTestId('react-other').click();
      await pickEmoji(menu, 'unicorn', '🦄');
      await expect(reaction(message(ann.page, text), '🦄')).toHaveAttribute('aria-label', '🦄 1: Ben');

      // The message box completes :shortcodes as they are typed.
      const box = page.getByTestId('composer-input');
      await box.click();
      await box.pressSequentially('on :fox');
      const option = page.getByRole('option', { name: /:fox_face:/ });
      await expect(option).toBeVisible();
      await expect(box).toHaveAttribute('aria-expanded', 'true');
      await expect(box).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id')) ?? '');
      expect(await seriousViolations(page)).toEqual([]);
      await box.press('Enter');
      await expect(box).toHaveValue('on 🦊 ');
      await expect(box).toHaveAttribute('aria-expanded', 'false');
      await box.pressSequentially(`go ${viewport.name}`);
      await box.press('Enter');
      await expect(messageText(ann.page, `on 🦊 go ${viewport.name}`)).toBeVisible();
      expect(cspViolations).toEqual([]);
    });
  });

  test(`${viewport.name}: the small things — punctuation, file cards, lists, @room in #general, unread held across tabs, favicon, video and audio inline`, async ({
    browser,
    stack,
  }) => {
    test.setTimeout(180_000);
    await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
      for (const person of [ann, ben]) await person.page.setViewportSize(viewport);
      const stamp = `${viewport.name === 'desktop' ? 'd' : 'p'}${Date.now()}`;

      // "@room" in #general is sent as text, and the box says why before it is sent.
      const box = ann.page.getByTestId('composer-input');
      await box.fill('@room lunch?');
      await expect(ann.page.getByTestId('room-mention-note')).toContainText('@room notifies nobody in #general');
      await expect(box).toHaveAttribute('aria-describedby', 'composer-room-note');
      await box.fill('');
      await expect(ann.page.getByTestId('room-mention-note')).toHaveCount(0);

      const room = `small-${stamp}`;
      await showRooms(ann.page);
      await createRoom(ann.page, room);
      await showRooms(ben.page);
      await expect(roomButton(ben.page, room)).toBeVisible();
      await openRoom(ben.page, room);
      await box.fill('@room lunch?');
      await expect(ann.page.getByTestId('room-mention-note')).toHaveCount(0);
      await box.fill('');

      // A line right after a list item is not folded into it.
      await send(ann.page, `- milk ${stamp}\n- eggs\nthat is all`);
      const list = ben.page.getByTestId('message').filter({ hasText: `milk ${stamp}` });
      await expect(list.locator('ul > li')).toHaveText([`milk ${stamp}`, 'eggs']);
      await expect(list.locator('ul + p')).toHaveText('that is all');

      // "Delete this message?" with no space before the question mark.
      await send(ann.page, `doomed ${stamp}`);
      const doomed = await openMessageMenu(ann.page, `doomed ${stamp}`);
      await doomed.getByTestId('menu-delete').click();
      await expect(doomed.getByRole('group', { name: 'Delete this message?' })).toContainText('Delete this message?');
      await doomed.getByTestId('cancel-delete').click();

      // While a file uploads the message waits, captioned "…uploaded: text"; then a card "name, size".
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const blobOrigin = new URL(stack.urls.blobs).origin;
      await ann.page.route(
        (url) => url.origin === blobOrigin,
        async (route) => {
          if (route.request().method() === 'PUT') await held;
          await route.continue();
        },
      );
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(15 * 1024 - 9, 37)]);
      await ann.page
        .getByTestId('attach-input')
        .setInputFiles({ name: 'q3-report.pdf', mimeType: 'application/pdf', buffer: pdf });
      await box.fill(`report ${stamp}`);
      await box.press('Enter');
      await expect(ann.page.getByTestId('waiting-message').locator('.caption')).toHaveText(
        `Sends when its files are uploaded: report ${stamp}`,
      );
      release();
      await ann.page.unroute((url) => url.origin === blobOrigin);
      const card = message(ben.page, `report ${stamp}`).getByTestId('attachment-file');
      await expect(card).toContainText('q3-report.pdf, 15 KB');

      // Video and audio: allowed (an .m4a as Chromium types it too) and played in the message.
      const webm = await ann.page.evaluate(async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 64;
        canvas.height = 48;
        const context = canvas.getContext('2d');
        const stream = canvas.captureStream(10);
        const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
        const chunks: Blob[] = [];
        recorder.ondataavailable = (event) => chunks.push(event.data);
        const stopped = new Promise((resolve) => (recorder.onstop = resolve));
        recorder.start();
        for (let frame = 0; frame < 6; frame++) {
          context?.fillRect(frame * 8, 0, 8, 48);
          await new Promise((resolve) => setTimeout(resolve, 60));
        }
        recorder.stop();
        await stopped;
        return Array.from(new Uint8Array(await new Blob(chunks).arrayBuffer()));
      });
      const isoMedia = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(64)]);
      await ann.page.getByTestId('attach-input').setInputFiles([
        { name: 'clip.webm', mimeType: 'video/webm', buffer: Buffer.from(webm) },
        { name: 'clip.mp4', mimeType: 'video/mp4', buffer: isoMedia },
        { name: 'song.mp3', mimeType: 'audio/mpeg', buffer: Buffer.concat([Buffer.from('ID3'), Buffer.alloc(64)]) },
        { name: 'memo.m4a', mimeType: 'audio/x-m4a', buffer: isoMedia },
      ]);
      await expect(ann.page.getByTestId('upload').filter({ hasText: 'uploaded' })).toHaveCount(4, { timeout: 15_000 });
      await box.fill(`media ${stamp}`);
      await box.press('Enter');
      const media = message(ben.page, `media ${stamp}`);
      await expect(media.locator('video')).toHaveCount(2);
      await expect(media.locator('audio')).toHaveCount(2);
      for (const player of await media.locator('video, audio').all()) {
        await expect(player).toHaveAttribute('controls', '');
        await expect(player).not.toHaveAttribute('autoplay');
        expect(await player.evaluate((element: HTMLMediaElement) => element.paused)).toBe(true);
      }
      // The recorded clip loads in the page (CSP media-src, served inline) and is ready to play.
      const clip = media.locator('video[aria-label="clip.webm"]');
      await expect
        .poll(() => clip.evaluate((video: HTMLVideoElement) => video.readyState), { timeout: 10_000 })
        .toBeGreaterThanOrEqual(1);
      const memo = (await media.locator('audio[aria-label="memo.m4a"]').getAttribute('src')) ?? '';
      const signed = await ben.page.request.get(new URL(`${memo}?format=json`, stack.urls.app).href);
      const served = await ben.page.request.get(((await signed.json()) as { url: string }).url);
      expect(served.headers()['content-type']).toBe('audio/mp4');
      expect(served.headers()['content-disposition']).toMatch(/^inline;/);

      // "Mark as unread" in one tab: Ann's other tab, showing the room, keeps it unread.
      const tab2 = await ann.context.newPage();
      await tab2.setViewportSize(viewport);
      await tab2.goto(stack.urls.app);
      await tab2
        .getByTestId('connection-state')
        .filter({ hasText: /^\s*connected\s*$/ })
        .waitFor();
      await goTo(tab2, room);
      await send(ben.page, `unread me ${stamp}`);
      await expect(messageText(tab2, `unread me ${stamp}`)).toBeVisible();
      const mark = await openMessageMenu(ann.page, `unread me ${stamp}`);
      await mark.getByTestId('menu-mark-unread').click();
      const unread = (page: Page) => roomButton(page, room).getByTestId('room-unread');
      await showRooms(tab2);
      await expect(unread(tab2)).toHaveText('1');
      // A reload reopens the room in view (and reads it): from another room, it stays unread.
      await goTo(ann.page, 'general');
      await ann.page.reload();
      await showRooms(ann.page);
      await expect(unread(ann.page)).toHaveText('1');
      // Reading it for real (opening it again) marks it read everywhere.
      await goTo(tab2, 'general');
      await goTo(tab2, room);
      await expect(unread(ann.page)).toHaveCount(0);

      // The tab shows an icon.
      const icon = await ann.page.locator('link[rel="icon"]').getAttribute('href');
      const favicon = await ann.page.request.get(new URL(icon ?? '', stack.urls.app).href);
      expect(favicon.status()).toBe(200);
      expect(favicon.headers()['content-type']).toContain('image/svg+xml');
    });
  });
}
