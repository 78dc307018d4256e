import { createActionGroup, props } from '@ngrx/store';

import type { Room } from '../../../contract';

export const RoomsSidebarActions = createActionGroup({
  source: 'Rooms Sidebar',
  events: {
    'Create Room Submitted': props<{ name: string }>(),
    'Join Clicked': props<{ room: string }>(),
    'Leave Clicked': props<{ room: string }>(),
  },
});

export const RoomsApiActions = createActionGroup({
  source: 'Rooms API',
  events: {
    'Rooms Loaded': props<{ rooms: readonly Room[] }>(),
    'Rooms Load Failed': props<{ error: string }>(),
    'Room Created': props<{ room: Room }>(),
    'Room Joined': props<{ room: Room }>(),
    'Room Left': props<{ room: string }>(),
    'Direct Message Opened': props<{ room: Room }>(),
    'Room Change Failed': props<{ error: string }>(),
  },
});
