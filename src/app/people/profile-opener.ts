import { InjectionToken } from '@angular/core';

/** Opens a person's profile card beside the name that was clicked. */
export interface ProfileOpener {
  showCard(userId: string, anchor: HTMLElement): unknown;
}

/**
 * {@link ProfileOpener} for lazy chunks (the members panel): they ask for it by this token rather
 * than importing profile-popups.ts, whose dynamic imports would otherwise split the first download's
 * shared code into extra chunks (the bundler cannot tell that a lazy chunk's importer is loaded).
 */
export const PROFILE_OPENER = new InjectionToken<ProfileOpener>('profile opener');
