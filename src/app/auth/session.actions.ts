import { createActionGroup, emptyProps, props } from '@ngrx/store';

import type { Profile, UserRef } from '../../../contract';

export const SessionApiActions = createActionGroup({
  source: 'Session API',
  events: {
    'Signed In': props<{ user: UserRef }>(),
    'Signed Out': emptyProps(),
    'Load Failed': props<{ error: string }>(),
  },
});

export const SignInPageActions = createActionGroup({
  source: 'Sign-in Page',
  events: {
    'Retry Clicked': emptyProps(),
  },
});

/** The signed-in person's own profile page (profile-page.ts): what the server answered to a change. */
export const ProfileApiActions = createActionGroup({
  source: 'Profile API',
  events: {
    'Profile Saved': props<{ profile: Profile }>(),
  },
});
