import { createActionGroup, emptyProps, props } from '@ngrx/store';

import type { UserRef } from '../../../contract';

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
