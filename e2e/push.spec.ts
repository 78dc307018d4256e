/**
 * The installed app and its service worker in real Chromium, served by the `spa` function
 * (docs/push-client.md): no installability errors, an offline start from the cached shell with the
 * "offline" notice, and a push delivered through the DevTools protocol shown as the message's
 * notification, whose click opens the message in the open window.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, type CDPSession, chromium, type Page, type Worker } from '@playwright/test';

import { apiPath, messageAddress, notificationTag, type PushPayload, Routes } from '../contract';
import { chromePath, CHROMIUM_FLAGS } from '../local/testing/chromium';
import { createRoom, message, openRoom, send } from './chat-page';
import { expect, root, signIn, test } from './stack';

/**
 * The page's service worker once it controls the page. The app registers the worker at its first
 * load, the signed-out start page; `clients.claim()` in `activate` then takes the open page. When
 * the install ends while the sign-in navigation is under way (a CI trace: the precache done 100 ms
 * before the signed-in page was requested), that new page is not claimed and stays uncontrolled
 * until its next navigation, as the Service Worker spec has it. So: wait for an active worker, and
 * navigate once more if it does not control this page, as a person's next visit would.
 */
async function controllingWorker(context: BrowserContext, page: Page): Promise<Worker> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const worker = context.serviceWorkers().find((w) => w.url().endsWith('/sw.js'));
  return worker ?? context.waitForEvent('serviceworker');
}

/** The registration id DevTools knows the page's worker by. */
async function registrationId(cdp: CDPSession, scope: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const match = registrations.find((r) => r.scopeURL === scope && !r.isDeleted);
      if (match) resolve(match.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

test('Chromium finds the app installable: manifest, icons and worker as the spa function serves them', async ({
  stack,
}) => {
  // A profile on disk: Chromium never offers to install from an incognito context (Playwright's usual one).
  const profile = await mkdtemp(join(tmpdir(), 'hubbub-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    executablePath: chromePath(),
    args: CHROMIUM_FLAGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    await page.goto(stack.urls.app);
    await controllingWorker(context, page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    const parsed = JSON.parse(manifest.data ?? '{}') as {
      name: string;
      display: string;
      icons: { purpose?: string }[];
    };
    expect(parsed).toMatchObject({ name: 'Hubbub', short_name: 'Hubbub', display: 'standalone', start_url: '/' });
    expect(parsed.icons.map((icon) => icon.purpose)).toEqual(['any', 'any', 'maskable']);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('the installed app starts offline from its cached shell and says it is offline', async ({ browser, stack }) => {
  const { context, page } = await signIn(browser, stack.urls.app, 'Offline Olga');
  try {
    await controllingWorker(context, page);
    await context.setOffline(true);
    await page.reload();
    // The shell and its scripts came from the worker's cache: the app runs and says why it cannot connect.
    await expect(page.getByTestId('offline')).toBeVisible();
    await expect(page.getByTestId('offline')).toHaveText(/offline/);
    await expect(page.getByRole('heading', { name: 'Hubbub' })).toBeVisible();
    await context.setOffline(false);
    await expect(page.getByTestId('offline')).toBeHidden();
  } finally {
    await context.close();
  }
});

test('a new version deployed while the app is open is offered, and Reload switches to it', async ({
  browser,
  stack,
}) => {
  const { context, page } = await signIn(browser, stack.urls.app, 'Update Uma');
  const worker = join(root, 'dist', 'spa', 'browser', 'sw.js');
  const original = await readFile(worker);
  const copies = ['.br', '.gz'] as const;
  const originals = await Promise.all(copies.map((suffix) => readFile(worker + suffix).catch(() => null)));
  try {
    await controllingWorker(context, page);
    await expect(page.getByTestId('update-ready')).toBeHidden();
    // A deployment: the worker's bytes change (the build writes a new version into it), with the
    // compressed copies the spa function prefers.
    const next = Buffer.concat([original, Buffer.from(`\n// deployed ${Date.now()}\n`)]);
    await writeFile(worker, next);
    await writeFile(`${worker}.br`, brotliCompressSync(next));
    await writeFile(`${worker}.gz`, gzipSync(next));
    // The browser checks at a navigation or the hourly check; the test asks at once.
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    await expect(page.getByTestId('update-ready')).toHaveText(/A new version is available/);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).waiting !== null)).toBe(true);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload' }).click()]);
    await expect(page.getByTestId('current-user')).toHaveText('Update Uma');
    await expect(page.getByTestId('update-ready')).toBeHidden();
    // The new worker took over and controls the reloaded page: nothing waits any more.
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).waiting)).toBeNull();
  } finally {
    await writeFile(worker, original);
    await Promise.all(
      copies.map((suffix, i) =>
        originals[i] ? writeFile(worker + suffix, originals[i]) : rm(worker + suffix, { force: true }),
      ),
    );
    await context.close();
  }
});

test('a push shows the message (sender, room, excerpt, its tag) and a click on it opens the message in the open window', async ({
  browser,
  stack,
}) => {
  const app = stack.urls.app;
  const { context, page } = await signIn(browser, app, 'Push Pia');
  try {
    await context.grantPermissions(['notifications'], { origin: new URL(app).origin });
    const worker = await controllingWorker(context, page);
    const room = `push-${Date.now()}`;
    await createRoom(page, room);
    await send(page, 'the message a push points at');
    const id = (await message(page, 'the message a push points at').getAttribute('data-message-id'))!;
    await openRoom(page, 'general');

    const payload: PushPayload = {
      room,
      roomTitle: room,
      sender: { id: 'u-ben', name: 'Ben' },
      excerpt: 'the message a push points at',
      messageId: id,
      url: messageAddress(room, id),
      tag: notificationTag(room, id),
      reason: 'mention',
    };
    const cdp = await context.newCDPSession(page);
    const origin = new URL(app).origin;
    const registration = await registrationId(cdp, `${origin}/`);
    const push = (data: unknown) =>
      cdp.send('ServiceWorker.deliverPushMessage', {
        origin,
        registrationId: registration,
        data: JSON.stringify(data),
      });
    await push(payload);
    const shown = () =>
      page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          data: n.data as unknown,
        })),
      );
    await expect.poll(shown).toEqual([
      {
        title: `Ben in #${room}`,
        body: 'the message a push points at',
        tag: notificationTag(room, id),
        data: { url: messageAddress(room, id), room, messageId: id },
      },
    ]);
    // The same message pushed again (a second device's subscription, a retry) replaces it: one notification.
    await push(payload);
    await expect.poll(async () => (await shown()).length).toBe(1);

    // No DevTools command clicks a notification: the worker's own handler gets a `notificationclick`
    // dispatched in its scope through the protocol (Runtime.evaluate in the worker), with the real notification.
    await worker.evaluate(async () => {
      // The worker's scope, typed here by hand (the e2e project has the DOM's types, not a worker's).
      const scope = self as unknown as {
        registration: ServiceWorkerRegistration;
        dispatchEvent(event: Event): boolean;
      };
      const NotificationEvent = (
        globalThis as unknown as { NotificationEvent: new (type: string, init: object) => Event }
      ).NotificationEvent;
      const [notification] = await scope.registration.getNotifications();
      scope.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
    });
    await expect(page).toHaveURL(new URL(messageAddress(room, id), app).href);
    await expect(page.getByTestId('room-title')).toContainText(room);
    await expect(page.locator(`[data-testid="message"][data-message-id="${id}"]`)).toBeVisible();
  } finally {
    await context.close();
  }
});

/** axe-core's serious and critical findings on the page as it is. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

/** Whether the server has the push routes (docs/push.md): they come with the Functions side of push. */
async function serverHasPush(page: Page): Promise<boolean> {
  return page.evaluate(async (path) => (await fetch(path)).status !== 404, apiPath(Routes.pushVapidKey));
}

test('the notification settings panel: keyboard and screen readers, and do not disturb', async ({ browser, stack }) => {
  const { context, page } = await signIn(browser, stack.urls.app, 'Settings Sam');
  try {
    const opener = page.getByTestId('notification-settings-open');
    await opener.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    await expect(panel).toBeVisible();
    await expect(page.getByTestId('push-turn-on')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    // Do not disturb: for an hour, then off, against the server's PUT and DELETE.
    await expect(page.getByTestId('dnd-state')).toHaveText('Off');
    await page.getByTestId('dnd-hour').click();
    await expect(page.getByTestId('dnd-state')).toHaveText(/^On until /);
    await page.getByTestId('dnd-off').click();
    await expect(page.getByTestId('dnd-state')).toHaveText('Off');
    // A custom end past 7 days is refused in words, tied to the field.
    const custom = page.getByLabel('Until');
    const tooLate = new Date(Date.now() + 8 * 24 * 3_600_000);
    const two = (n: number) => String(n).padStart(2, '0');
    await custom.fill(
      `${tooLate.getFullYear()}-${two(tooLate.getMonth() + 1)}-${two(tooLate.getDate())}T${two(tooLate.getHours())}:${two(tooLate.getMinutes())}`,
    );
    await page.getByTestId('dnd-custom-set').click();
    await expect(page.getByRole('alert')).toHaveText('Do not disturb lasts at most 7 days');
    await expect(custom).toHaveAttribute('aria-describedby', 'settings-dnd-problem');
    expect(await seriousViolations(page)).toEqual([]);

    // Escape closes the panel and gives the focus back to its button.
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(opener).toBeFocused();
  } finally {
    await context.close();
  }
});

test("a room's bell opens its level in the panel, and the level chosen with the keyboard is kept by the server", async ({
  browser,
  stack,
}) => {
  const { context, page } = await signIn(browser, stack.urls.app, 'Level Lou');
  try {
    test.skip(
      !(await serverHasPush(page)),
      'room levels need PUT /api/rooms/{room}/notifications (the push Functions)',
    );
    // A room's bell opens the panel on its level; "All messages" is kept by the server and shown after a reload.
    const bell = page.locator('[data-room="general"] ~ [data-testid="room-notifications"]');
    await bell.click();
    const general = page.locator('[data-testid="room-level"][data-room="general"]');
    await expect(general.getByRole('radio', { name: 'Mentions' })).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(general.getByRole('radio', { name: 'All messages' })).toBeChecked();
    await page.keyboard.press('Escape');
    await page.reload();
    await page.getByTestId('notification-settings-open').click();
    await expect(
      page.locator('[data-testid="room-level"][data-room="general"]').getByRole('radio', { name: 'All messages' }),
    ).toBeChecked();
  } finally {
    await context.close();
  }
});

test('the device list shows the devices that receive pushes, and removing one takes it off the server', async ({
  browser,
  stack,
}) => {
  const { context, page } = await signIn(browser, stack.urls.app, 'Device Dora');
  try {
    test.skip(!(await serverHasPush(page)), 'the device list needs /api/push/subscriptions (the push Functions)');
    // Another device of Dora's, as its browser would register it: a real P-256 key, on a push
    // service's origin (headless Chromium here has no push service to subscribe with).
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const phone = {
      endpoint: `https://fcm.googleapis.com/fcm/send/e2e-${Date.now()}`,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
      device: 'Dora’s phone',
    };
    const stored = await page.evaluate(
      async ({ path, body }) =>
        (
          await fetch(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify(body),
          })
        ).status,
      { path: apiPath(Routes.pushSubscriptions), body: phone },
    );
    expect(stored).toBe(201);

    await page.getByTestId('notification-settings-open').click();
    const device = page.getByTestId('device').filter({ hasText: 'Dora’s phone' });
    await expect(device).toBeVisible();
    await device.getByRole('button', { name: 'Remove Dora’s phone' }).click();
    await expect(page.getByTestId('devices-empty')).toBeVisible();

    // This device: the permission on the click, then the browser's push service. Headless Chromium
    // on a machine without Google's push service cannot subscribe: the panel must say so in words
    // (and tab notifications stay on), never hang on "Turning on…".
    await context.grantPermissions(['notifications'], { origin: new URL(stack.urls.app).origin });
    await page.getByTestId('push-turn-on').click();
    await expect(page.getByTestId('push-state')).not.toHaveText('Turning on…', { timeout: 30_000 });
    const subscribed = (await page.getByTestId('push-state').textContent())?.includes('even when Hubbub is closed');
    if (subscribed) {
      await expect(page.getByTestId('device').filter({ hasText: '(this device)' })).toBeVisible();
    } else {
      await expect(page.getByTestId('settings-error')).toHaveText(
        /^Notifications are on in open tabs, but pushes could not be set up: .+/,
      );
    }
    const left = await page.evaluate(
      async (path) => ((await (await fetch(path)).json()) as { devices: unknown[] }).devices,
      apiPath(Routes.pushSubscriptions),
    );
    expect(left).toHaveLength(subscribed ? 1 : 0);
  } finally {
    await context.close();
  }
});
