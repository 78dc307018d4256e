/**
 * Hubbub's service worker (docs/push-client.md). Our own rather than `@angular/service-worker`:
 * what we need is small (an app-shell precache, an update prompt, and `push` and
 * `notificationclick` for our `PushPayload`, which Angular's worker would not handle for us
 * anyway, as it expects its own `{ notification }` payload), ngsw's registration would add to the
 * first download, and ours is one file that is easy to read and test.
 *
 * local/build/service-worker.mjs bundles it into dist/spa/browser/sw.js with the build's file list
 * and a version derived from those files, so every deployment that changes the app changes this
 * worker's bytes: the browser installs the new one beside the old, and the page offers a reload.
 */
import { openMessageNote, pickWindow, pushNotification } from './push-notification';

declare const self: ServiceWorkerGlobalScope;
/** Filled in by the build. */
declare const HUBBUB_VERSION: string;
declare const HUBBUB_PRECACHE: readonly string[];

const CACHE_PREFIX = 'hubbub-shell-';
const CACHE = CACHE_PREFIX + HUBBUB_VERSION;
/** The app shell (index.html as the `spa` function answers any app address). */
const SHELL = '/';

self.addEventListener('install', (event) => {
  // Not skipWaiting: a new version waits until the person chooses to reload (or every tab closes).
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([SHELL, ...HUBBUB_PRECACHE])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(CACHE_PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  // The page's "Reload" on "A new version is available".
  if ((event.data as { type?: unknown } | null)?.type === 'hubbub:skip-waiting') void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // The API, sign-in and other origins (SignalR, attachments) always go to the network as they are.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/.auth/')) {
    return;
  }
  if (request.mode === 'navigate') {
    // The network's shell while online (a fresh CSP nonce, the newest app); the cached one offline.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(SHELL, { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  // Build files: from the cache when precached (their names change with their content), else the network.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});

self.addEventListener('push', (event) => {
  let payload: unknown;
  try {
    payload = event.data?.json();
  } catch {
    payload = undefined;
  }
  const { title, options } = pushNotification(payload);
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const note = openMessageNote(event.notification.data);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const target = pickWindow(windows, self.location.origin);
      if (!target) {
        await self.clients.openWindow(note.url);
        return;
      }
      // The app routes to the address itself, without reloading (addresses.effects.ts).
      target.postMessage(note);
      await target.focus();
    })(),
  );
});
