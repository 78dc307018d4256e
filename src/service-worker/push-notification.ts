/**
 * What the service worker shows for a push and where a click on it goes (docs/push-client.md),
 * kept free of worker types so the SPA's unit tests run it as it is.
 */
import * as v from 'valibot';

import { DM_PREFIX, PushPayloadSchema } from '../../contract';

/** What `registration.showNotification` takes for one message. */
export interface MessageNotification {
  readonly title: string;
  readonly options: NotificationOptions & { readonly data: NotificationData };
}

/** Carried in a notification's `data`: the address a click opens, and which message it is. */
export interface NotificationData {
  readonly url: string;
  readonly room?: string;
  readonly messageId?: string;
}

/** What a page hears from the service worker when a notification of a message was clicked. */
export interface OpenMessageNote {
  readonly type: 'hubbub:open-message';
  readonly url: string;
  readonly room?: string;
  readonly messageId?: string;
}

export const ICON = '/icons/icon-192.png';

/** `Ben in #Team` in a room, the sender alone in a direct or group message (as the in-tab ones). */
export function notificationTitle(sender: string, room: string, roomTitle: string): string {
  return room.startsWith(DM_PREFIX) ? sender : `${sender} in #${roomTitle}`;
}

/**
 * The notification of a push. A payload that is not ours still shows something (Chromium requires
 * a visible notification for every push, and would show its own "updated in the background").
 */
export function pushNotification(payload: unknown): MessageNotification {
  const parsed = v.safeParse(PushPayloadSchema, payload);
  if (!parsed.success) {
    return { title: 'Hubbub', options: { body: 'New activity', icon: ICON, tag: 'hubbub', data: { url: '/' } } };
  }
  const { output } = parsed;
  return {
    title: notificationTitle(output.sender.name, output.room, output.roomTitle),
    options: {
      body: output.excerpt,
      icon: ICON,
      // The message's tag: a tab that notified it already is replaced, not doubled.
      tag: output.tag,
      data: { url: sameOriginPath(output.url), room: output.room, messageId: output.messageId },
    },
  };
}

/** Only a path of our own origin is ever opened: a payload cannot send the person elsewhere. */
export function sameOriginPath(url: unknown): string {
  if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//') || url.includes('\\')) return '/';
  return url;
}

/** The note for a page from a clicked notification's `data`. */
export function openMessageNote(data: unknown): OpenMessageNote {
  const value = (typeof data === 'object' && data !== null ? data : {}) as Partial<NotificationData>;
  return {
    type: 'hubbub:open-message',
    url: sameOriginPath(value.url),
    ...(typeof value.room === 'string' && { room: value.room }),
    ...(typeof value.messageId === 'string' && { messageId: value.messageId }),
  };
}

/**
 * The window a click goes to: a focused one, else a visible one, else any (all of our origin);
 * undefined opens a new one.
 */
export function pickWindow<
  T extends { readonly focused: boolean; readonly visibilityState: string; readonly url: string },
>(windows: readonly T[], origin: string): T | undefined {
  const ours = windows.filter((w) => w.url.startsWith(origin + '/') || w.url === origin);
  return ours.find((w) => w.focused) ?? ours.find((w) => w.visibilityState === 'visible') ?? ours[0];
}
