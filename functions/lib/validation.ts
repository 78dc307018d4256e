/** Input rules shared by every function; each returns the cleaned value or a user-facing message. */

export const MAX_TEXT_LENGTH = 4000;
export const ROOM_NAME = /^[a-z0-9-]{1,64}$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
// C0 and C1 controls except tab, line feed and carriage return, which chat text legitimately has.

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export interface NewMessage {
  readonly id: string;
  readonly room: string;
  readonly text: string;
}

export function checkNewMessage(body: Record<string, unknown>): Checked<NewMessage> {
  const id = checkClientId(body['id']);
  if (!id.ok) return id;
  const room = checkRoomName(body['room']);
  if (!room.ok) return room;
  const text = checkText(body['text']);
  if (!text.ok) return text;
  return { ok: true, value: { id: id.value, room: room.value, text: text.value } };
}

export function checkClientId(value: unknown): Checked<string> {
  if (typeof value !== 'string' || !CLIENT_ID.test(value)) {
    return { ok: false, message: 'id must be 1-64 letters, digits, "-" or "_" (a UUID works)' };
  }
  return { ok: true, value };
}

export function checkRoomName(value: unknown): Checked<string> {
  if (typeof value !== 'string' || !ROOM_NAME.test(value)) {
    return { ok: false, message: 'room must be 1-64 characters of a-z, 0-9 and "-"' };
  }
  return { ok: true, value };
}

export function checkText(value: unknown): Checked<string> {
  if (typeof value !== 'string') return { ok: false, message: 'text must be a string' };
  const text = value.trim();
  if (text.length < 1 || text.length > MAX_TEXT_LENGTH) {
    return { ok: false, message: `text must be 1-${MAX_TEXT_LENGTH} characters` };
  }
  if (CONTROL_CHARACTERS.test(text)) return { ok: false, message: 'text must not contain control characters' };
  return { ok: true, value: text };
}
