/**
 * Catch-up on every path (docs/behaviour.md, "Catch-up"), your own send always shown, and
 * reconnecting at once: two real browsers against one stack, at desktop and at phone size.
 */
import { randomUUID } from 'node:crypto';

import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from '@playwright/test';

import { STORAGE_SETTING } from '../functions/platform/storage/tables';
import { chromePath, CHROMIUM_FLAGS } from '../local/testing/chromium';
import { message, messageText, roomButton, send } from './chat-page';
import { expect, signIn, test } from './stack';

// Playwright turns Chromium's back-forward cache off by default; these tests need it on.
test.use({
  launchOptions: {
    executablePath: chromePath(),
    args: CHROMIUM_FLAGS,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  },
});

const sizes = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

type Person = { context: BrowserContext; page: Page };

async function withPeopleAt(
  browser: Browser,
  appUrl: string,
  viewport: { width: number; height: number },
  names: readonly string[],
  body: (people: Person[]) => Promise<void>,
): Promise<void> {
  const people: Person[] = [];
  try {
    for (const name of names) people.push(await signIn(browser, appUrl, name, undefined, { viewport }));
    await body(people);
  } finally {
    for (const person of people) await person.context.close();
  }
}

/** The sidebar: always there on a desktop, behind the Rooms button on a phone. */
async function showSidebar(page: Page): Promise<void> {
  const create = page.getByTestId('create-room-input');
  if (!(await create.isVisible())) await page.getByRole('button', { name: /^Rooms/ }).click();
  await expect(create).toBeVisible();
}

async function hideSidebar(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: /^Rooms/ });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) === 'true') await menu.click();
}

async function pickRoom(page: Page, room: string, title = room): Promise<void> {
  await showSidebar(page);
  await roomButton(page, room).click();
  await expect(page.getByTestId('room-title')).toContainText(title);
}

async function sendAndWait(page: Page, text: string): Promise<void> {
  await send(page, text);
  await expect(message(page, text)).toHaveAttribute('data-status', 'sent', { timeout: 15_000 });
}

async function createRoom(page: Page, room: string): Promise<void> {
  await showSidebar(page);
  await page.getByTestId('create-room-input').fill(room);
  await page.getByTestId('create-room-submit').click();
  await expect(page.getByTestId('room-title')).toContainText(room);
  await hideSidebar(page);
}

const connectionState = (page: Page) => page.getByTestId('connection-state');

/**
 * Samples the header and the composer every 50 ms: the header must never say "connected" while
 * the composer says the server cannot be reached.
 */
async function watchForContradictions(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { contradictions: string[] }).contradictions = seen;
    setInterval(() => {
      const header = document.querySelector('[data-testid="connection-state"]')?.getAttribute('data-state');
      const composer = document.querySelector('[data-testid="composer-error"]')?.textContent ?? '';
      if (header === 'connected' && /can't reach/i.test(composer)) seen.push(`${new Date().toISOString()} ${composer}`);
    }, 50);
  });
  return () => page.evaluate(() => (window as unknown as { contradictions: string[] }).contradictions);
}

for (const size of sizes) {
  test.describe(`at ${size.name} size (${size.viewport.width}x${size.viewport.height})`, () => {
    test('rejoining a room, switching rooms, a room someone else created and a DM someone else opened show every message', async ({
      browser,
      stack,
    }) => {
      await withPeopleAt(browser, stack.urls.app, size.viewport, ['Ann', 'Ben'], async ([ann, ben]) => {
        const p = `${size.name} ${Date.now()}`;
        const room = `catch-up-${size.name}-${Date.now()}`;
        await createRoom(ann.page, room);
        await sendAndWait(ann.page, `${p} first`);

        // A room someone else created: it is listed, and joining it shows what was said.
        await pickRoom(ben.page, room);
        await expect(messageText(ben.page, `${p} first`)).toHaveCount(1);

        // Rejoining: what was said while Ben was out appears, once, in order.
        await ben.page.getByRole('button', { name: 'Leave' }).click();
        await expect(ben.page.getByTestId('room-title')).toContainText('general');
        for (const n of [1, 2, 3]) await sendAndWait(ann.page, `${p} while out ${n}`);
        await pickRoom(ben.page, room);
        for (const n of [1, 2, 3]) await expect(messageText(ben.page, `${p} while out ${n}`)).toHaveCount(1);
        const texts = (await ben.page.getByTestId('message-text').allTextContents()).map((t) => t.trim());
        expect(texts.filter((t) => t.startsWith(p))).toEqual([
          `${p} first`,
          `${p} while out 1`,
          `${p} while out 2`,
          `${p} while out 3`,
        ]);

        // Switching rooms while messages arrive in the other one.
        await pickRoom(ben.page, 'general');
        await sendAndWait(ann.page, `${p} while elsewhere 1`);
        await sendAndWait(ann.page, `${p} while elsewhere 2`);
        await pickRoom(ben.page, room);
        await expect(messageText(ben.page, `${p} while elsewhere 1`)).toHaveCount(1);
        await expect(messageText(ben.page, `${p} while elsewhere 2`)).toHaveCount(1);

        // A direct message someone else opened.
        await showSidebar(ann.page);
        await ann.page.getByTestId('user').filter({ hasText: 'Ben' }).getByTestId('start-dm').click();
        await expect(ann.page.getByTestId('room-title')).toContainText('Ben');
        await hideSidebar(ann.page);
        await sendAndWait(ann.page, `${p} direct`);
        await showSidebar(ben.page);
        const dm = ben.page.getByTestId('room').filter({ hasText: 'Ann' });
        await dm.click();
        await expect(ben.page.getByTestId('room-title')).toContainText('Ann');
        await expect(messageText(ben.page, `${p} direct`)).toHaveCount(1);
      });
    });

    test('offline, waking and the back-forward cache: messages arrive at once after, and the header never contradicts the composer', async ({
      browser,
      stack,
    }) => {
      test.setTimeout(120_000);
      await withPeopleAt(browser, stack.urls.app, size.viewport, ['Ann', 'Ben'], async ([ann, ben]) => {
        const p = `${size.name} net ${Date.now()}`;
        const room = `outage-${size.name}-${Date.now()}`;
        await createRoom(ann.page, room);
        await pickRoom(ben.page, room);
        await pickRoom(ben.page, 'general');
        await pickRoom(ann.page, 'general');
        const contradictions = await watchForContradictions(ben.page);

        // Offline: the header says so at once, and agrees with the composer.
        let failedConnects = 0;
        ben.page.on('requestfailed', (request) => {
          if (request.url().includes('/api/negotiate')) failedConnects++;
        });
        await ben.context.setOffline(true);
        await expect(connectionState(ben.page)).toHaveAttribute('data-state', /disconnected|reconnecting/, {
          timeout: 3_000,
        });
        await send(ben.page, `${p} from Ben`);
        await expect(ben.page.getByTestId('composer-error')).toContainText("Can't reach the server");
        await expect(connectionState(ben.page)).not.toHaveAttribute('data-state', 'connected');
        for (const n of [1, 2, 3]) await sendAndWait(ann.page, `${p} out ${n}`);
        await pickRoom(ann.page, room);
        await sendAndWait(ann.page, `${p} in the room`);

        // Back online once four attempts to connect have failed, so the backoff's next wait is 8-12 s:
        // arriving well within that means the network's return, not the timer, brought them.
        await expect.poll(() => failedConnects, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
        const back = Date.now();
        await ben.context.setOffline(false);
        await expect(messageText(ben.page, `${p} out 3`)).toHaveCount(1, { timeout: 6_000 });
        const arrivedMs = Date.now() - back;
        test.info().annotations.push({ type: 'others’ messages after online', description: `${arrivedMs} ms` });
        console.log(`[${size.name}] others' messages arrived ${arrivedMs} ms after the network returned`);
        await expect(connectionState(ben.page)).toHaveAttribute('data-state', 'connected');
        await expect(ben.page.getByTestId('composer-error')).toHaveCount(0);
        await expect(message(ben.page, `${p} from Ben`)).toHaveAttribute('data-status', 'sent');
        // Opening a room after an outage.
        await pickRoom(ben.page, room);
        await expect(messageText(ben.page, `${p} in the room`)).toHaveCount(1);

        // Waking a laptop: the tab was hidden and the network gone; both come back.
        const setVisibility = (state: 'hidden' | 'visible') =>
          ben.page.evaluate((value) => {
            Object.defineProperty(document, 'visibilityState', { value, configurable: true });
            Object.defineProperty(document, 'hidden', { value: value === 'hidden', configurable: true });
            document.dispatchEvent(new Event('visibilitychange'));
          }, state);
        await setVisibility('hidden');
        await ben.context.setOffline(true);
        await expect(connectionState(ben.page)).not.toHaveAttribute('data-state', 'connected', { timeout: 3_000 });
        await sendAndWait(ann.page, `${p} asleep`);
        await ben.context.setOffline(false);
        await setVisibility('visible');
        await expect(messageText(ben.page, `${p} asleep`)).toHaveCount(1, { timeout: 15_000 });

        expect(await contradictions()).toEqual([]);

        // The back-forward cache: away to another page and back (restored, or loaded again where the cache refuses the page).
        await ben.page.evaluate(() => ((window as unknown as { kept: boolean }).kept = true));
        await ben.page.goto('about:blank');
        await sendAndWait(ann.page, `${p} while away`);
        await ben.page.goBack({ waitUntil: 'commit' });
        await expect(connectionState(ben.page)).toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
        const restored = await ben.page.evaluate(() => (window as unknown as { kept?: boolean }).kept === true);
        test.info().annotations.push({ type: 'back-forward cache', description: restored ? 'restored' : 'reloaded' });
        if (!restored) {
          // Why the browser loaded the page again (Chromium's notRestoredReasons), for the record.
          const reasons = await ben.page.evaluate(() =>
            JSON.stringify(
              (performance.getEntriesByType('navigation')[0] as unknown as { notRestoredReasons?: unknown })
                ?.notRestoredReasons ?? null,
            ),
          );
          console.log(`[${size.name}] not restored from the back-forward cache: ${reasons}`);
          // Loaded again, the app opens its first room: go back to the one Ben was reading.
          await pickRoom(ben.page, room);
        }
        await expect(messageText(ben.page, `${p} while away`)).toHaveCount(1, { timeout: 5_000 });
        console.log(
          `[${size.name}] back-forward navigation: page ${restored ? 'restored from the cache' : 'loaded again'}`,
        );
      });
    });

    test('your own send is always shown; others’ messages while you read history count on a "new messages" button', async ({
      browser,
      stack,
    }) => {
      await withPeopleAt(browser, stack.urls.app, size.viewport, ['Ann', 'Ben'], async ([ann, ben]) => {
        const p = `${size.name} scroll ${Date.now()}`;
        const room = `long-${size.name}-${Date.now()}`;
        await createRoom(ann.page, room);
        // Enough history to scroll, seeded through the functions' own store code into this stack's Azurite.
        process.env[STORAGE_SETTING] = stack.storageConnectionString;
        const { importMessages } = await import('../functions/testing/seed.js');
        const start = Date.now() - 60 * 60_000;
        await importMessages(
          room,
          Array.from({ length: 60 }, (_, i) => ({
            id: randomUUID(),
            room,
            text: `${p} old ${i}`,
            sender: { id: 'dev-archivist', name: 'Archivist' },
            sentAt: new Date(start + i * 60_000).toISOString(),
          })),
        );
        await pickRoom(ben.page, room);
        await expect(messageText(ben.page, `${p} old 59`)).toBeInViewport();

        const list = ben.page.getByTestId('message-list');
        const jump = ben.page.getByTestId('jump-latest');
        await list.evaluate((element) => (element.scrollTop = 0));
        await expect(jump).toHaveText(/Jump to latest/);
        for (const n of [1, 2, 3]) await sendAndWait(ann.page, `${p} news ${n}`);
        await expect(jump).toHaveText(/3 new messages/);
        await expect(messageText(ben.page, `${p} news 3`)).not.toBeInViewport();
        const audit = await new AxeBuilder({ page: ben.page }).analyze();
        expect(
          audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
        ).toEqual([]);
        await jump.click();
        await expect(messageText(ben.page, `${p} news 3`)).toBeInViewport();
        await expect(jump).toHaveCount(0);

        // Scrolled up, Ben sends: the list goes down to his message.
        await list.evaluate((element) => (element.scrollTop = 0));
        await expect(jump).toBeVisible();
        await send(ben.page, `${p} mine`);
        await expect(ben.page.getByTestId('composer-input')).toHaveValue('');
        await expect(messageText(ben.page, `${p} mine`)).toBeInViewport();
        await expect(message(ben.page, `${p} mine`)).toHaveAttribute('data-status', 'sent', { timeout: 15_000 });
        await expect(messageText(ann.page, `${p} mine`)).toHaveCount(1);
      });
    });
  });
}
