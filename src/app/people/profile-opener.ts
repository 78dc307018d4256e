import { InjectionToken, type Signal } from '@angular/core';
import type { Observable } from 'rxjs';

import type {
  AvatarType,
  PresenceState,
  Profile,
  ProfileUpdateRequest,
  StatusRequest,
  UserStatus,
} from '../../../contract';

/** Opens a person's profile card beside the name that was clicked, and the signed-in person's profile page. */
export interface ProfileOpener {
  showCard(userId: string, anchor: HTMLElement): unknown;
  showProfilePage(anchor: HTMLElement | null): unknown;
}

/** A person as their card shows them, kept live by the people list's events. */
export interface PersonView {
  readonly name: string;
  readonly avatar?: string;
  readonly presence: PresenceState;
  readonly status?: UserStatus;
}

/**
 * What the lazy card and profile page need of the app: the people state, the profile routes and
 * away by hand (profile-popups.ts implements it). Changes answer the new profile, already in the
 * store; a refusal errors with the server's words as the message.
 */
export interface ProfileHost extends ProfileOpener {
  readonly selfId: Signal<string | null>;
  readonly awayByHand: Signal<boolean>;
  person(userId: string): Signal<PersonView | null>;
  /** The server's card of the person, then each change of it. */
  profile(userId: string): Observable<Profile>;
  /** Opens (or starts) the direct message with them. */
  message(userId: string): void;
  own(): Observable<Profile>;
  update(change: ProfileUpdateRequest): Observable<Profile>;
  setStatus(status: StatusRequest): Observable<Profile>;
  clearStatus(): Observable<Profile>;
  removeAvatar(): Observable<Profile>;
  /** Asks for a write URL, PUTs the bytes there (reporting the fraction sent), then completes it. */
  uploadAvatar(blob: Blob, type: AvatarType, progress: (sent: number) => void): Observable<Profile>;
  setAwayByHand(away: boolean): void;
}

/**
 * The app's {@link ProfileHost}, for the lazy chunks (the members panel, the card, the profile
 * page): they ask for it by this token rather than importing what it uses. A lazy chunk importing
 * a module of the first download that imports the contract, the store or the API client made the
 * bundler split those out of the main file into extra chunks (a larger first download).
 */
export const PROFILE_HOST = new InjectionToken<ProfileHost>('profile host');
