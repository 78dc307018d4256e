import { createActionGroup, emptyProps, props } from '@ngrx/store';

import type { RoomRole, UpdateRoomRequest, User, UserRef } from '../../../contract';

/** A person in a room's members panel, with their role where the room has roles. */
export type RoomMember = UserRef & { readonly role?: RoomRole };

/** Who can be given a role in the panel: the owner's passes only by the owner leaving. */
export type AssignableRole = 'admin' | 'member';

/** What the user did in a room's members panel (src/app/room-admin/members-panel.ts). */
export const MembersPanelActions = createActionGroup({
  source: 'Members Panel',
  events: {
    /** `manage`: the viewer may see the bans (owner, admins, workspace admins). */
    Opened: props<{ room: string; manage: boolean }>(),
    Closed: emptyProps(),
    'People Searched': props<{ room: string; query: string }>(),
    'Add Clicked': props<{ room: string; user: UserRef }>(),
    'Remove Confirmed': props<{ room: string; user: UserRef; ban: boolean }>(),
    'Role Chosen': props<{ room: string; user: UserRef; role: AssignableRole }>(),
    'Unban Clicked': props<{ room: string; user: UserRef }>(),
    /** The room settings form: only the fields that changed. */
    'Settings Saved': props<{ room: string; changes: UpdateRoomRequest }>(),
  },
});

/**
 * What the server answered to the panel. `target` says where a refusal is shown: a member's id
 * (on their row), `add` (under the people search), `settings` (under the form) or `members`.
 */
export const RoomAdminApiActions = createActionGroup({
  source: 'Room Admin API',
  events: {
    'Members Loaded': props<{ room: string; members: readonly RoomMember[] }>(),
    'Bans Loaded': props<{ room: string; bans: readonly UserRef[] }>(),
    'People Found': props<{ room: string; query: string; people: readonly User[] }>(),
    'Member Added': props<{ room: string; user: UserRef }>(),
    /** Someone added to the DM (or group conversation) `room`: the server started a new group with them. */
    'Group Started': props<{ room: string }>(),
    'Member Removed': props<{ room: string; user: UserRef; ban: boolean }>(),
    'Role Changed': props<{ room: string; userId: string; role: AssignableRole }>(),
    Unbanned: props<{ room: string; userId: string }>(),
    'Room Updated': props<{ room: string; changes: UpdateRoomRequest }>(),
    'Change Failed': props<{ room: string; target: string; error: string }>(),
  },
});
