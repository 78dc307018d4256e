import { createEntityAdapter, type EntityState } from '@ngrx/entity';
import { createFeature, createReducer, createSelector, on } from '@ngrx/store';

import type { Room } from '../../../contract';
import { ChatHubActions } from '../core/hub.actions';
import { PeopleListActions } from '../people/people.actions';
import { RoomsApiActions, RoomsSidebarActions } from './rooms.actions';

export interface RoomsState extends EntityState<Room> {
  readonly loaded: boolean;
  /** The last room change that failed (create, join, leave, direct message), shown in the sidebar. */
  readonly error: string | null;
  /** A direct message was asked for and the server has not answered: the composer must not send yet. */
  readonly openingDirectMessage: boolean;
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
});

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
    on(PeopleListActions.directMessageClicked, (state): RoomsState => ({
      ...state,
      error: null,
      openingDirectMessage: true,
    })),
    // Another person's new room: listed as one to join. Never downgrades a room already known (the creator's).
    on(ChatHubActions.roomCreated, (state, { room }): RoomsState => roomsAdapter.addOne(room, state)),
    on(RoomsApiActions.roomLeft, (state, { room }): RoomsState => {
      const left = state.entities[room];
      return left?.kind === 'room'
        ? roomsAdapter.updateOne({ id: room, changes: { joined: false } }, state)
        : roomsAdapter.removeOne(room, state);
    }),
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
  ),
  extraSelectors: ({ selectRoomsState }) => {
    const { selectAll, selectEntities } = roomsAdapter.getSelectors(selectRoomsState);
    return {
      selectRoomEntities: selectEntities,
      selectJoinedRooms: createSelector(selectAll, (rooms) =>
        rooms.filter((room) => room.kind === 'room' && room.joined),
      ),
      selectOtherRooms: createSelector(selectAll, (rooms) =>
        rooms.filter((room) => room.kind === 'room' && !room.joined),
      ),
      selectDirectMessages: createSelector(selectAll, (rooms) => rooms.filter((room) => room.kind === 'dm')),
    };
  },
});
