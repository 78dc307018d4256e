import { InjectionToken } from '@angular/core';

import type { PushSubscriptionRequest } from '../../../contract';

/** The part of the Push API this app uses (the service worker's `pushManager`); tests provide their own. */
export interface BrowserPush {
  /** Whether this browser can take pushes here (a service worker and the Push API). */
  supported(): boolean;
  /** Asks for the Notification permission: only ever called from the person's click. */
  requestPermission(): Promise<NotificationPermission | 'unsupported'>;
  /** Subscribes this device with the server's key (base64url); the browser's subscription JSON. */
  subscribe(applicationServerKey: string): Promise<PushSubscriptionRequest>;
  /** This device's endpoint when it is subscribed. */
  endpoint(): Promise<string | null>;
  /** Ends this device's subscription in the browser (when its endpoint was removed). */
  unsubscribe(): Promise<void>;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const BROWSER_PUSH = new InjectionToken<BrowserPush>('browser push', {
  providedIn: 'root',
  factory: () => {
    const workers = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
    const supported = () =>
      workers !== undefined && typeof PushManager !== 'undefined' && typeof Notification !== 'undefined';
    const current = async () => (supported() ? (await workers!.ready).pushManager.getSubscription() : null);
    return {
      supported,
      requestPermission: async () =>
        typeof Notification === 'undefined' ? 'unsupported' : Notification.requestPermission(),
      subscribe: async (key) => {
        if (!supported()) throw new Error('This browser cannot receive pushes');
        const registration = await workers!.ready;
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(key),
        });
        return subscription.toJSON() as PushSubscriptionRequest;
      },
      endpoint: async () => (await current())?.endpoint ?? null,
      unsubscribe: async () => {
        await (await current())?.unsubscribe();
      },
    };
  },
});

/** "Chrome on Linux": how this device is listed among the person's devices. */
export function deviceLabel(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  return system ? `${browser} on ${system}` : browser;
}
