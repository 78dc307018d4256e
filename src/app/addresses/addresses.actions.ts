import { createActionGroup, props } from '@ngrx/store';

/** What the history endpoint answered about a message's address. */
export const LinkedMessageApiActions = createActionGroup({
  source: 'Messages API',
  events: {
    /** No such message in the room (or no valid id): the room opens on its newest page instead. */
    'Linked Message Missing': props<{ room: string; id: string }>(),
  },
});
