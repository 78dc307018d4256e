import { createActionGroup, emptyProps, props } from '@ngrx/store';

import type { MembershipEvent, Room } from '../../../contract';

export const RoomsSidebarActions = createActionGroup({
  source: 'Rooms Sidebar',
  events: {
    /** `private`: only the people its members add will know it exists. */
    'Create Room Submitted': props<{ name: string; private: boolean }>(),
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

/** What the user's access to rooms became, worked out from the hub's `membership` events. */
export const RoomAccessActions = createActionGroup({
  source: 'Room Access',
  events: {
    /**
     * The user is out of a room they were in (removed, banned, or left in another tab); `open`:
     * it was the room on screen, which goes back to general with a notice naming it.
     */
    'Room Lost': props<{
      room: string;
      title: string;
      reason: NonNullable<MembershipEvent['removed']>;
      open: boolean;
    }>(),
    'Notice Dismissed': emptyProps(),
  },
});
