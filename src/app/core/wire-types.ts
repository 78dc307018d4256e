/** The backend contract's shapes (docs/wire-contract.md), with guards for what arrives over the hub. */

export interface UserRef {
  readonly id: string;
  readonly name: string;
}

export interface Message {
  readonly id: string;
  readonly room: string;
  readonly text: string;
  readonly sender: UserRef;
  readonly sentAt: string;
}

export type RoomKind = 'room' | 'dm';

export interface Room {
  readonly name: string;
  readonly kind: RoomKind;
  readonly title: string;
  readonly members?: readonly UserRef[];
  readonly joined: boolean;
}

export interface User extends UserRef {
  readonly online: boolean;
}

export interface MessagePage {
  readonly messages: readonly Message[];
  readonly hasMore: boolean;
}

export interface TypingEvent {
  readonly room: string;
  readonly user: UserRef;
}

export interface PresenceEvent {
  readonly user: UserRef;
  readonly online: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isUserRef(value: unknown): value is UserRef {
  return isObject(value) && typeof value['id'] === 'string' && typeof value['name'] === 'string';
}

export function isMessage(value: unknown): value is Message {
  return (
    isObject(value) &&
    typeof value['id'] === 'string' &&
    typeof value['room'] === 'string' &&
    typeof value['text'] === 'string' &&
    typeof value['sentAt'] === 'string' &&
    isUserRef(value['sender'])
  );
}

export function isTypingEvent(value: unknown): value is TypingEvent {
  return isObject(value) && typeof value['room'] === 'string' && isUserRef(value['user']);
}

export function isRoom(value: unknown): value is Room {
  return (
    isObject(value) &&
    typeof value['name'] === 'string' &&
    (value['kind'] === 'room' || value['kind'] === 'dm') &&
    typeof value['title'] === 'string' &&
    typeof value['joined'] === 'boolean'
  );
}

export function isPresenceEvent(value: unknown): value is PresenceEvent {
  return isObject(value) && typeof value['online'] === 'boolean' && isUserRef(value['user']);
}
