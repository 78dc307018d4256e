/**
 * The page's side of the service worker (src/service-worker/sw.ts, docs/push-client.md): registers
 * it, says when a new version waits ("A new version is available", with Reload), shows an
 * "offline" notice while the browser has no network, and opens a message when the worker reports a
 * click on its notification. Loaded after the page (app-worker.providers.ts) and free of Angular,
 * so it adds nothing to the first download and shares no chunk with it.
 */

/** The worker's script, at the root so that it controls every address of the app. */
export const WORKER_URL = '/sw.js';
/** How often a long-open tab asks whether a new version was deployed (navigations ask too). */
const UPDATE_CHECK_MS = 60 * 60_000;

export interface AppWorkerHooks {
  /** A notification of this message was clicked (addresses.effects.ts opens it). */
  openMessage(room: string, messageId: string): void;
}

export function startAppWorker(window: Window, hooks: AppWorkerHooks): void {
  const notices = noticeArea(window.document);
  const offline = notice(notices, 'offline', "You're offline. Hubbub will reconnect when the network is back.");
  const showOffline = () => (offline.hidden = window.navigator.onLine);
  window.addEventListener('online', showOffline);
  window.addEventListener('offline', showOffline);
  showOffline();

  const workers = window.navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!workers) return;
  workers.addEventListener('message', (event: MessageEvent<{ type?: string; room?: string; messageId?: string }>) => {
    const { type, room, messageId } = event.data ?? {};
    if (type === 'hubbub:open-message' && room && messageId) hooks.openMessage(room, messageId);
  });
  workers.register(WORKER_URL).then(
    (registration) => {
      const offer = (waiting: ServiceWorker) => {
        // Without a controller this is the first install: nothing older runs, nothing to offer.
        if (!workers.controller) return;
        const update = notice(notices, 'update-ready', 'A new version is available. ');
        const reload = window.document.createElement('button');
        reload.type = 'button';
        reload.textContent = 'Reload';
        reload.dataset['testid'] = 'update-reload';
        reload.addEventListener('click', () => {
          // Reloaded once the new version has taken over, so the reload is served by it.
          workers.addEventListener('controllerchange', () => window.location.reload(), { once: true });
          waiting.postMessage({ type: 'hubbub:skip-waiting' });
        });
        update.append(reload);
        update.hidden = false;
      };
      if (registration.waiting) offer(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => {
          if (installing.state === 'installed') offer(installing);
        });
      });
      window.setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
    },
    // No worker (`ng serve` has none, or the browser refuses one): the app runs as before, online only.
    () => undefined,
  );
}

/** A polite live region at the bottom of the page, over whatever is shown (styled through the CSSOM: the CSP allows no inline style). */
function noticeArea(document: Document): HTMLElement {
  const area = document.createElement('div');
  area.setAttribute('role', 'status');
  area.className = 'app-notices';
  Object.assign(area.style, {
    position: 'fixed',
    insetInline: '0',
    top: '0.5rem',
    display: 'grid',
    justifyItems: 'center',
    gap: '0.5rem',
    pointerEvents: 'none',
    zIndex: '20',
  });
  document.body.append(area);
  return area;
}

function notice(area: HTMLElement, testId: string, text: string): HTMLElement {
  const element = area.ownerDocument.createElement('p');
  element.dataset['testid'] = testId;
  element.textContent = text;
  element.hidden = true;
  Object.assign(element.style, {
    margin: '0',
    padding: '0.5rem 0.9rem',
    border: '1px solid var(--border)',
    borderRadius: '0.5rem',
    background: 'var(--surface)',
    color: 'var(--text)',
    boxShadow: '0 2px 8px rgb(0 0 0 / 20%)',
    pointerEvents: 'auto',
  });
  area.append(element);
  return element;
}
