/**
 * The installed app and its service worker in real Chromium, served by the `spa` function
 * (docs/push-client.md): no installability errors, an offline start from the cached shell with the
 * "offline" notice, and a push delivered through the DevTools protocol shown as the message's
 * notification, whose click opens the message in the open window.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type BrowserContext, type CDPSession, chromium, type Page, type Worker } from '@playwright/test';

import { messageAddress, notificationTag, type PushPayload } from '../contract';
import { chromePath, CHROMIUM_FLAGS } from '../local/testing/chromium';
import { createRoom, message, openRoom, send } from './chat-page';
import { expect, signIn, test } from './stack';

/** The page's service worker once it controls the page (the first load installs and claims it). */
async function controllingWorker(context: BrowserContext, page: Page): Promise<Worker> {
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
