import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import { type Action } from '@ngrx/store';
import {
  catchError,
  concat,
  defer,
  exhaustMap,
  forkJoin,
  from,
  map,
  mergeMap,
  type Observable,
  of,
  switchMap,
} from 'rxjs';

import { apiPath, type Profile, Routes } from '../../../contract';
import { ApiClient, ApiError, apiErrorOf } from '../core/api-client';
import { NotificationsApiActions } from '../notifications/notifications.actions';
import { ReadStateApiActions } from '../read-state/read-state.actions';
import { BROWSER_PUSH } from './browser-push';
import { NotificationSettingsApiActions, SettingsPanelActions } from './notification-settings.actions';
import { NotificationSettingsApi } from './notification-settings-api';

/** A failure in words for the panel: the server's message, or the browser's. */
function reason(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  // The Push API's refusals (`NotAllowedError`, `AbortError` from the push service) say what went wrong.
  if (error instanceof Error && error.message) return error.message;
  return apiErrorOf(error).message;
}

/** The person's devices and whether this one is among them: on opening, and after each change. */
export const loadDevices = createEffect(
  (actions$ = inject(Actions), api = inject(NotificationSettingsApi), push = inject(BROWSER_PUSH)) => {
    return actions$.pipe(
      ofType(
        SettingsPanelActions.opened,
        NotificationSettingsApiActions.pushTurnedOn,
        NotificationSettingsApiActions.deviceRemoved,
      ),
      switchMap(() =>
        forkJoin([api.devices(), defer(() => push.endpoint().catch(() => null))]).pipe(
          map(([devices, thisDevice]) => NotificationSettingsApiActions.devicesLoaded({ devices, thisDevice })),
          catchError((error: unknown) =>
            of(NotificationSettingsApiActions.devicesLoadFailed({ error: apiErrorOf(error).message })),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/** Do not disturb as the server holds it, from the person's profile (when the server has profiles). */
export const loadDoNotDisturb = createEffect(
  (actions$ = inject(Actions), api = inject(ApiClient)) => {
    return actions$.pipe(
      ofType(SettingsPanelActions.opened),
      switchMap(() =>
        api.get<Profile>(apiPath(Routes.profile)).pipe(
          map((profile) =>
            NotificationSettingsApiActions.doNotDisturbChanged({ until: profile.doNotDisturbUntil ?? null }),
          ),
          // Without it the panel shows what this tab set: nothing to tell the person.
          catchError(() => of()),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * "Turn on notifications on this device": the permission (asked only here, on the click), then
 * the server's key, the browser's subscription, and the subscription stored with a device label.
 */
export const turnOnPush = createEffect(
  (actions$ = inject(Actions), api = inject(NotificationSettingsApi), push = inject(BROWSER_PUSH)) => {
    return actions$.pipe(
      ofType(SettingsPanelActions.pushTurnOnClicked),
      exhaustMap(({ device }) =>
        from(push.requestPermission()).pipe(
          mergeMap((permission): Observable<Action> => {
            const known = NotificationsApiActions.permissionKnown({ permission });
            if (permission !== 'granted') {
              const error =
                permission === 'unsupported'
                  ? 'This browser cannot show notifications'
                  : 'Notifications are blocked for Hubbub: allow them in the browser’s site settings';
              return of(known, NotificationSettingsApiActions.pushFailed({ error, blocked: true }));
            }
            if (!push.supported()) {
              return of(
                known,
                NotificationSettingsApiActions.pushFailed({
                  error: 'Notifications are on in open tabs; this browser cannot receive pushes',
                  blocked: false,
                }),
              );
            }
            const subscribed$ = api.vapidKey().pipe(
              switchMap((key) => from(push.subscribe(key))),
              switchMap((subscription) =>
                api
                  .addDevice({ ...subscription, device })
                  .pipe(map(() => NotificationSettingsApiActions.pushTurnedOn({ endpoint: subscription.endpoint }))),
              ),
              catchError((error: unknown) =>
                of(
                  NotificationSettingsApiActions.pushFailed({
                    error: `Notifications are on in open tabs, but pushes could not be set up: ${reason(error)}`,
                    blocked: false,
                  }),
                ),
              ),
            );
            return concat(of(known), subscribed$);
          }),
        ),
      ),
    );
  },
  { functional: true },
);

export const removeDevice = createEffect(
  (actions$ = inject(Actions), api = inject(NotificationSettingsApi), push = inject(BROWSER_PUSH)) => {
    return actions$.pipe(
      ofType(SettingsPanelActions.deviceRemoveClicked),
      mergeMap(({ endpoint }) =>
        api.removeDevice(endpoint).pipe(
          // This device's own: the browser's subscription goes too, so it stops receiving at once.
          switchMap(() => from(push.endpoint().then((own) => (own === endpoint ? push.unsubscribe() : undefined)))),
          map(() => NotificationSettingsApiActions.deviceRemoved({ endpoint })),
          catchError((error: unknown) => of(NotificationSettingsApiActions.settingFailed({ error: reason(error) }))),
        ),
      ),
    );
  },
  { functional: true },
);

export const setLevel = createEffect(
  (actions$ = inject(Actions), api = inject(NotificationSettingsApi)) => {
    return actions$.pipe(
      ofType(SettingsPanelActions.levelChosen),
      mergeMap(({ room, level }) =>
        api.setLevel(room, level).pipe(
          map((state) => ReadStateApiActions.readStateChanged({ state })),
          catchError((error: unknown) =>
            of(NotificationSettingsApiActions.settingFailed({ error: apiErrorOf(error).message })),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

export const setDoNotDisturb = createEffect(
  (actions$ = inject(Actions), api = inject(NotificationSettingsApi)) => {
    return actions$.pipe(
      ofType(SettingsPanelActions.doNotDisturbChosen),
      switchMap(({ until }) =>
        api.setDoNotDisturb(until).pipe(
          map((answer) => NotificationSettingsApiActions.doNotDisturbChanged({ until: answer.until })),
          catchError((error: unknown) =>
            of(NotificationSettingsApiActions.settingFailed({ error: apiErrorOf(error).message })),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

export const endDoNotDisturb = createEffect(
  (actions$ = inject(Actions), api = inject(NotificationSettingsApi)) => {
    return actions$.pipe(
      ofType(SettingsPanelActions.doNotDisturbEnded),
      switchMap(() =>
        api.endDoNotDisturb().pipe(
          map(() => NotificationSettingsApiActions.doNotDisturbChanged({ until: null })),
          catchError((error: unknown) =>
            of(NotificationSettingsApiActions.settingFailed({ error: apiErrorOf(error).message })),
          ),
        ),
      ),
    );
  },
  { functional: true },
);
