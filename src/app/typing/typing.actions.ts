import { createActionGroup, props } from '@ngrx/store';

export const TypingActions = createActionGroup({
  source: 'Typing Timer',
  events: {
    Expired: props<{ room: string; userId: string }>(),
  },
});
