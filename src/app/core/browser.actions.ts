import { createActionGroup, emptyProps, props } from '@ngrx/store';

/** What the browser told us about the page. */
export const BrowserActions = createActionGroup({
  source: 'Browser',
  events: {
    'Visibility Changed': props<{ visible: boolean }>(),
    /** The browser says the network came back (`online`) or went (`offline`). */
    'Online Changed': props<{ online: boolean }>(),
    /** The page came back from the back-forward cache (`pageshow` with `persisted`): it was frozen, its socket likely gone. */
    'Page Restored': emptyProps(),
  },
});
