import { createActionGroup, props } from '@ngrx/store';

import type { User, UserRef } from '../../../contract';

export const PeopleListActions = createActionGroup({
  source: 'People List',
  events: {
    'Direct Message Clicked': props<{ userId: string }>(),
    /** "New group": a conversation of the user and 2-7 people chosen (new-group-dialog.ts). */
    'Group Submitted': props<{ userIds: readonly string[] }>(),
    'Block Clicked': props<{ user: UserRef }>(),
    'Unblock Clicked': props<{ user: UserRef }>(),
  },
});

export const UsersApiActions = createActionGroup({
  source: 'Users API',
  events: {
    'Users Loaded': props<{ users: readonly User[] }>(),
    'Users Load Failed': props<{ error: string }>(),
  },
});

export const BlocksApiActions = createActionGroup({
  source: 'Blocks API',
  events: {
    'Blocks Loaded': props<{ users: readonly UserRef[] }>(),
    'Blocks Load Failed': props<{ error: string }>(),
    'Block Failed': props<{ user: UserRef; error: string }>(),
    'Unblock Failed': props<{ user: UserRef; error: string }>(),
  },
});

/** Time passing: statuses whose `expiresAt` is at or before `now` are gone. */
export const StatusClockActions = createActionGroup({
  source: 'Status Clock',
  events: {
    'Statuses Expired': props<{ now: number }>(),
  },
});
