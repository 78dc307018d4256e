import { createFeature, createReducer, on } from '@ngrx/store';

import type { User, UserRef } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { MembersPanelActions, RoomAdminApiActions, type RoomMember } from './room-admin.actions';

/** The open members panel: one room's members and bans, the people search, and what is under way or refused. */
export interface MembersPanelState {
  readonly room: string | null;
  readonly members: Readonly<Record<string, RoomMember>>;
  readonly loaded: boolean;
  /** Null until loaded (only owner and admins may see them). */
  readonly bans: readonly UserRef[] | null;
  readonly query: string;
  readonly found: readonly User[];
  /** Changes under way, by target: a person's id, `add` or `settings`. */
  readonly pending: readonly string[];
  /** The server's refusals, by target, shown where the change was asked for until it is tried again. */
  readonly errors: Readonly<Record<string, string>>;
  /** The settings were saved (a status under the form). */
  readonly saved: boolean;
}

export const initialMembersPanelState: MembersPanelState = {
  room: null,
  members: {},
  loaded: false,
  bans: null,
  query: '',
  found: [],
  pending: [],
  errors: {},
  saved: false,
};

function without<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) return record;
  const { [key]: _, ...rest } = record;
  return rest;
}

/** Answers about another room (the panel moved on) change nothing. */
function forRoom(state: MembersPanelState, room: string, change: (state: MembersPanelState) => MembersPanelState) {
  return state.room === room ? change(state) : state;
}

const start = (state: MembersPanelState, target: string): MembersPanelState => ({
  ...state,
  pending: [...state.pending.filter((t) => t !== target), target],
  errors: without(state.errors, target),
  saved: target === 'settings' ? false : state.saved,
});

const done = (state: MembersPanelState, target: string): MembersPanelState => ({
  ...state,
  pending: state.pending.filter((t) => t !== target),
});

function banned(bans: readonly UserRef[] | null, user: UserRef): readonly UserRef[] | null {
  return bans && [...bans.filter((b) => b.id !== user.id), { id: user.id, name: user.name }];
}

export const membersPanelFeature = createFeature({
  name: 'membersPanel',
  reducer: createReducer(
    initialMembersPanelState,
    // Another room: start afresh. The same room again keeps what was typed and refused.
    on(MembersPanelActions.opened, (state, { room }): MembersPanelState =>
      state.room === room ? state : { ...initialMembersPanelState, room },
    ),
    on(RoomAdminApiActions.membersLoaded, (state, { room, members }): MembersPanelState =>
      forRoom(state, room, (s) => ({
        ...s,
        members: Object.fromEntries(members.map((member) => [member.id, member])),
        loaded: true,
      })),
    ),
    on(RoomAdminApiActions.bansLoaded, (state, { room, bans }): MembersPanelState =>
      forRoom(state, room, (s) => ({ ...s, bans })),
    ),
    on(MembersPanelActions.peopleSearched, (state, { room, query }): MembersPanelState =>
      forRoom(state, room, (s) => ({ ...s, query, found: query.trim() ? s.found : [] })),
    ),
    on(RoomAdminApiActions.peopleFound, (state, { room, query, people }): MembersPanelState =>
      forRoom(state, room, (s) => (s.query === query ? { ...s, found: people } : s)),
    ),
    on(MembersPanelActions.addClicked, (state, { room }): MembersPanelState =>
      forRoom(state, room, (s) => start(s, 'add')),
    ),
    on(
      MembersPanelActions.removeConfirmed,
      MembersPanelActions.roleChosen,
      MembersPanelActions.unbanClicked,
      (state, { room, user }): MembersPanelState => forRoom(state, room, (s) => start(s, user.id)),
    ),
    on(MembersPanelActions.settingsSaved, (state, { room }): MembersPanelState =>
      forRoom(state, room, (s) => start(s, 'settings')),
    ),
    on(RoomAdminApiActions.memberAdded, (state, { room, user }): MembersPanelState =>
      forRoom(state, room, (s) => ({
        ...done(s, 'add'),
        members: {
          ...s.members,
          [user.id]: { id: user.id, name: user.name, role: s.members[user.id]?.role ?? 'member' },
        },
        bans: s.bans && s.bans.filter((b) => b.id !== user.id),
      })),
    ),
    on(RoomAdminApiActions.groupStarted, (state, { room }): MembersPanelState =>
      forRoom(state, room, (s) => ({ ...done(s, 'add'), query: '', found: [] })),
    ),
    on(RoomAdminApiActions.memberRemoved, (state, { room, user, ban }): MembersPanelState =>
      forRoom(state, room, (s) => ({
        ...done(s, user.id),
        members: without(s.members, user.id),
        bans: ban ? banned(s.bans, user) : s.bans,
      })),
    ),
    on(RoomAdminApiActions.roleChanged, (state, { room, userId, role }): MembersPanelState =>
      forRoom(state, room, (s) => {
        const member = s.members[userId];
        return { ...done(s, userId), members: member ? { ...s.members, [userId]: { ...member, role } } : s.members };
      }),
    ),
    on(RoomAdminApiActions.unbanned, (state, { room, userId }): MembersPanelState =>
      forRoom(state, room, (s) => ({ ...done(s, userId), bans: s.bans && s.bans.filter((b) => b.id !== userId) })),
    ),
    on(RoomAdminApiActions.roomUpdated, (state, { room }): MembersPanelState =>
      forRoom(state, room, (s) => ({ ...done(s, 'settings'), saved: true })),
    ),
    on(RoomAdminApiActions.changeFailed, (state, { room, target, error }): MembersPanelState =>
      forRoom(state, room, (s) => ({ ...done(s, target), errors: { ...s.errors, [target]: error } })),
    ),
    // Whatever anyone changes, live: joins, leaves, removals, bans and roles.
    on(ChatHubActions.memberChanged, (state, { change: { room, user, role, gone } }): MembersPanelState =>
      forRoom(state, room, (s) =>
        gone
          ? {
              ...s,
              members: without(s.members, user.id),
              bans: gone === 'banned' ? banned(s.bans, user) : s.bans,
            }
          : {
              ...s,
              members: { ...s.members, [user.id]: { id: user.id, name: user.name, ...(role && { role }) } },
              bans: s.bans && s.bans.filter((b) => b.id !== user.id),
            },
      ),
    ),
  ),
});
