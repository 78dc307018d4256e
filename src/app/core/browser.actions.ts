import { createActionGroup, props } from '@ngrx/store';

/** What the browser told us about the page. */
export const BrowserActions = createActionGroup({
  source: 'Browser',
  events: {
    'Visibility Changed': props<{ visible: boolean }>(),
  },
});
