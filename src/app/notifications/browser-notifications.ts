import { InjectionToken } from '@angular/core';

export type NotificationPermissionState = NotificationPermission | 'unsupported';

/** The part of the Notification API this app uses; tests provide their own. */
export interface BrowserNotifications {
  permission(): NotificationPermissionState;
  /** Only ever called from a user's click: browsers ignore (or punish) requests made on load. */
  requestPermission(): Promise<NotificationPermissionState>;
  /**
   * Shows one notification; `onClick` runs when the user clicks it, `onClose` when it goes away.
   * Returns what closes it (nothing happens when it is gone already).
   */
  show(title: string, options: NotificationOptions, onClick: () => void, onClose: () => void): () => void;
}

export const BROWSER_NOTIFICATIONS = new InjectionToken<BrowserNotifications>('browser notifications', {
  providedIn: 'root',
  factory: () => {
    const api = typeof Notification === 'undefined' ? undefined : Notification;
    return {
      permission: () => api?.permission ?? 'unsupported',
      requestPermission: async () => (api ? api.requestPermission() : 'unsupported'),
      show: (title, options, onClick, onClose) => {
        if (!api || api.permission !== 'granted') return () => undefined;
        const notification = new api(title, options);
        notification.onclick = () => {
          globalThis.focus?.();
          notification.close();
          onClick();
        };
        notification.onclose = onClose;
        return () => notification.close();
      },
    };
  },
});
