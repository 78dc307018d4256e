import { createActionGroup, props } from '@ngrx/store';

import type { User } from '../../../contract';

export const PeopleListActions = createActionGroup({
  source: 'People List',
  events: {
    'Direct Message Clicked': props<{ userId: string }>(),
  },
});

export const UsersApiActions = createActionGroup({
  source: 'Users API',
  events: {
    'Users Loaded': props<{ users: readonly User[] }>(),
    'Users Load Failed': props<{ error: string }>(),
  },
});
