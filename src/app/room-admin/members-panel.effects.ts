import { inject } from '@angular/core';
import { Actions, createEffect, ofType } from '@ngrx/effects';
import {
  asyncScheduler,
  catchError,
  concatMap,
  debounceTime,
  EMPTY,
  filter,
  map,
  merge,
  mergeMap,
  type Observable,
  of,
  type SchedulerLike,
  switchMap,
} from 'rxjs';

import { DM_PREFIX } from '../../../contract';
import { apiErrorOf } from '../core/api-client';
import { PeopleApi } from '../people/people-api';
import { RoomsApiActions } from '../rooms/rooms.actions';
import { MembersPanelActions, RoomAdminApiActions } from './room-admin.actions';
import { RoomAdminApi } from './room-admin-api';

/** How long typing in the people search must pause before the server is asked. */
const PEOPLE_SEARCH_DEBOUNCE_MS = 200;

const refused = (room: string, target: string) => (error: unknown) =>
  of(RoomAdminApiActions.changeFailed({ room, target, error: apiErrorOf(error).message }));

/** The members (and, for those who may see them, the bans) each time the panel opens: the latest room wins. */
export const loadMembers = createEffect(
  (actions$ = inject(Actions), api = inject(RoomAdminApi)) => {
    return actions$.pipe(
      ofType(MembersPanelActions.opened),
      switchMap(({ room, manage }) => {
        const members$ = api.members(room).pipe(
          map((members) => RoomAdminApiActions.membersLoaded({ room, members })),
          catchError(refused(room, 'members')),
        );
        const bans$: Observable<ReturnType<typeof RoomAdminApiActions.bansLoaded>> = manage
          ? api.bans(room).pipe(
              map((bans) => RoomAdminApiActions.bansLoaded({ room, bans })),
              // The list of bans is a help: a refusal (a role just taken away) leaves it out.
              catchError(() => EMPTY),
            )
          : EMPTY;
        return merge(members$, bans$);
      }),
    );
  },
  { functional: true },
);

/** The people picker: people whose name starts with what was typed, once typing pauses. */
export const searchPeople = createEffect(
  (actions$ = inject(Actions), api = inject(PeopleApi), scheduler: SchedulerLike = asyncScheduler) => {
    return actions$.pipe(
      ofType(MembersPanelActions.peopleSearched),
      debounceTime(PEOPLE_SEARCH_DEBOUNCE_MS, scheduler),
      filter(({ query }) => query.trim() !== ''),
      switchMap(({ room, query }) =>
        api.search(query.trim()).pipe(
          map((people) => RoomAdminApiActions.peopleFound({ room, query, people })),
          catchError(refused(room, 'add')),
        ),
      ),
    );
  },
  { functional: true },
);

/**
 * Each change is its own request (none cancels another); a refusal is shown where it was asked for.
 * Adding someone to a DM or group conversation starts a new group of its people and them, which
 * opens (the old conversation stays as it was).
 */
export const changeMembers = createEffect(
  (actions$ = inject(Actions), api = inject(RoomAdminApi)) => {
    return merge(
      actions$.pipe(
        ofType(MembersPanelActions.addClicked),
        filter(({ room }) => room.startsWith(DM_PREFIX)),
        mergeMap(({ room, user }) =>
          api.startGroup(room, user.id).pipe(
            mergeMap((group) => [
              RoomAdminApiActions.groupStarted({ room }),
              RoomsApiActions.directMessageOpened({ room: group }),
            ]),
            catchError(refused(room, 'add')),
          ),
        ),
      ),
      actions$.pipe(
        ofType(MembersPanelActions.addClicked),
        filter(({ room }) => !room.startsWith(DM_PREFIX)),
        mergeMap(({ room, user }) =>
          api.add(room, user.id).pipe(
            map(() => RoomAdminApiActions.memberAdded({ room, user })),
            catchError(refused(room, 'add')),
          ),
        ),
      ),
      actions$.pipe(
        ofType(MembersPanelActions.removeConfirmed),
        mergeMap(({ room, user, ban }) =>
          api.remove(room, user.id, ban).pipe(
            map(() => RoomAdminApiActions.memberRemoved({ room, user, ban })),
            catchError(refused(room, user.id)),
          ),
        ),
      ),
      actions$.pipe(
        ofType(MembersPanelActions.roleChosen),
        mergeMap(({ room, user, role }) =>
          api.setRole(room, user.id, role).pipe(
            map(() => RoomAdminApiActions.roleChanged({ room, userId: user.id, role })),
            catchError(refused(room, user.id)),
          ),
        ),
      ),
      actions$.pipe(
        ofType(MembersPanelActions.unbanClicked),
        mergeMap(({ room, user }) =>
          api.unban(room, user.id).pipe(
            map(() => RoomAdminApiActions.unbanned({ room, userId: user.id })),
            catchError(refused(room, user.id)),
          ),
        ),
      ),
    );
  },
  { functional: true },
);

/** Title, topic and archiving, one save after another. */
export const saveSettings = createEffect(
  (actions$ = inject(Actions), api = inject(RoomAdminApi)) => {
    return actions$.pipe(
      ofType(MembersPanelActions.settingsSaved),
      concatMap(({ room, changes }) =>
        api.update(room, changes).pipe(
          map(() => RoomAdminApiActions.roomUpdated({ room, changes })),
          catchError(refused(room, 'settings')),
        ),
      ),
    );
  },
  { functional: true },
);
