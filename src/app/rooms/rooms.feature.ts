import { createEntityAdapter, type EntityState } from '@ngrx/entity';
import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import type { MembershipEvent, Room, RoomChangedEvent } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { ChatPageActions } from '../messages/chat-page.actions';
import { PeopleListActions } from '../people/people.actions';
import { RoomAccessActions, RoomsApiActions, RoomsSidebarActions } from './rooms.actions';

/** The room on screen that the user lost (removed, banned, left elsewhere): the notice after going to general. */
export interface LostRoom {
  readonly room: string;
  readonly title: string;
  readonly reason: NonNullable<MembershipEvent['removed']>;
}

export interface RoomsState extends EntityState<Room> {
  readonly loaded: boolean;
  /** The last room change that failed (create, join, leave, direct message), shown in the sidebar. */
  readonly error: string | null;
  /** A direct message was asked for and the server has not answered: the composer must not send yet. */
  readonly openingDirectMessage: boolean;
  readonly lost: LostRoom | null;
}

export const roomsAdapter = createEntityAdapter<Room>({
  selectId: (room) => room.name,
  sortComparer: (a, b) =>
    a.name === 'general'
      ? -1
      : b.name === 'general'
        ? 1
        : a.title.localeCompare(b.title) || a.name.localeCompare(b.name),
});

const initialState: RoomsState = roomsAdapter.getInitialState({
  loaded: false,
  error: null,
  openingDirectMessage: false,
  lost: null,
});

/** A change of title, topic, archive state or who may add: the event says the whole state (no topic clears it). */
function changed(state: RoomsState, { name, title, topic, archived, membersMayAdd }: RoomChangedEvent): RoomsState {
  return state.entities[name]
    ? roomsAdapter.updateOne(
        {
          id: name,
          changes: {
            title,
            topic: topic || undefined,
            archived: archived === true,
            membersMayAdd: membersMayAdd === false ? false : undefined,
          },
        },
        state,
      )
    : state;
}

/** Out of a room: a public one stays listed to join again (unless banned), anything else goes. */
function without(state: RoomsState, room: string, banned = false): RoomsState {
  const entry = state.entities[room];
  return entry?.kind === 'room' && !entry.private && !banned
    ? roomsAdapter.updateOne({ id: room, changes: { joined: false, role: undefined, moderator: false } }, state)
    : roomsAdapter.removeOne(room, state);
}

export const roomsFeature = createFeature({
  name: 'rooms',
  reducer: createReducer(
    initialState,
    on(RoomsApiActions.roomsLoaded, (state, { rooms }): RoomsState => ({
      ...roomsAdapter.setAll([...rooms], state),
      loaded: true,
    })),
    on(
      RoomsApiActions.roomCreated,
      RoomsApiActions.roomJoined,
      RoomsApiActions.directMessageOpened,
      (state, { room }): RoomsState => ({
        ...roomsAdapter.upsertOne(room, state),
        error: null,
        openingDirectMessage: false,
      }),
    ),
    // Until the DM exists the open room is still the previous one: a message sent now would go there.
    on(PeopleListActions.directMessageClicked, PeopleListActions.groupSubmitted, (state): RoomsState => ({
      ...state,
      error: null,
      openingDirectMessage: true,
    })),
    // Another person's new room: listed as one to join. Never downgrades a room already known (the creator's).
    on(ChatHubActions.roomCreated, (state, { room }): RoomsState => roomsAdapter.addOne(room, state)),
    on(RoomsApiActions.roomLeft, (state, { room }): RoomsState => without(state, room)),
    on(RoomsApiActions.roomChangeFailed, (state, { error }): RoomsState => ({
      ...state,
      error,
      openingDirectMessage: false,
    })),
    on(
      RoomsSidebarActions.createRoomSubmitted,
      RoomsSidebarActions.joinClicked,
      RoomsSidebarActions.leaveClicked,
      (state): RoomsState => ({ ...state, error: null }),
    ),
    // Added to a room (in any tab): it is listed at once (a link to it that said "no access" gives way).
    on(ChatHubActions.membershipChanged, (state, { membership: { room } }): RoomsState =>
      room
        ? {
            ...roomsAdapter.upsertOne({ ...room, joined: true }, state),
            lost: state.lost?.room === room.name ? null : state.lost,
          }
        : state,
    ),
    on(RoomAccessActions.roomLost, (state, { room, title, reason, open }): RoomsState => ({
      ...without(state, room, reason === 'banned'),
      lost: open ? { room, title, reason } : state.lost,
    })),
    on(RoomAccessActions.noticeDismissed, ChatPageActions.roomSelected, (state): RoomsState =>
      state.lost ? { ...state, lost: null } : state,
    ),
    on(ChatHubActions.roomChanged, (state, { change }): RoomsState => changed(state, change)),
  ),
  extraSelectors: ({ selectRoomsState }) => {
    const { selectAll, selectEntities } = roomsAdapter.getSelectors(selectRoomsState);
    return {
      selectRoomEntities: selectEntities,
      selectJoinedRooms: createSelector(selectAll, (rooms) =>
        rooms.filter((room) => room.kind === 'room' && room.joined && !room.archived),
      ),
      /** Read-only rooms the user is in, under their own heading. */
      selectArchivedRooms: createSelector(selectAll, (rooms) =>
        rooms.filter((room) => room.kind === 'room' && room.joined && room.archived),
      ),
      selectOtherRooms: createSelector(selectAll, (rooms) =>
        rooms.filter((room) => room.kind === 'room' && !room.joined && !room.archived),
      ),
      selectDirectMessages: createSelector(selectAll, (rooms) => rooms.filter((room) => room.kind === 'dm')),
    };
  },
});
