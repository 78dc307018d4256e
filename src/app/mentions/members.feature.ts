import { createFeature, createReducer, on } from '@ngrx/store';

import type { UserRef } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { ChatHubActions } from '../core/hub.actions';
import { MembersApiActions } from './members.actions';

/** Per room, the members this tab has learned of (by id) from the server's members list. */
export interface MembersState {
  readonly byRoom: Readonly<Record<string, Readonly<Record<string, UserRef>>>>;
  /** People looked up by id (mentioned, and in no list this tab loaded). */
  readonly people: Readonly<Record<string, UserRef>>;
}

const initialState: MembersState = { byRoom: {}, people: {} };

/**
 * Each answer adds what it found; a complete answer for a prefix also drops the people known under
 * that prefix it no longer lists (they left), so the `@` list shrinks as well as grows.
 */
function merge(
  known: Readonly<Record<string, UserRef>>,
  { query, members, complete }: { query: string; members: readonly UserRef[]; complete: boolean },
): Readonly<Record<string, UserRef>> {
  const prefix = query.toLowerCase();
  const next: Record<string, UserRef> = {};
  for (const member of Object.values(known)) {
    if (!complete || !member.name.toLowerCase().startsWith(prefix)) next[member.id] = member;
  }
  for (const member of members) next[member.id] = member;
  return next;
}

export const membersFeature = createFeature({
  name: 'members',
  reducer: createReducer(
    initialState,
    on(SessionApiActions.signedIn, (): MembersState => initialState),
    on(MembersApiActions.membersFound, (state, found): MembersState => ({
      ...state,
      byRoom: { ...state.byRoom, [found.room]: merge(state.byRoom[found.room] ?? {}, found) },
    })),
    // Whoever sends a new message is in the room: someone who joined after the list was fetched is
    // offered (and a hand-typed `@Name` of theirs matched) once they have said something.
    on(ChatHubActions.messageReceived, (state, { message: { room, sender } }): MembersState => {
      const known = state.byRoom[room];
      if (!known || known[sender.id]?.name === sender.name) return state;
      return {
        ...state,
        byRoom: { ...state.byRoom, [room]: { ...known, [sender.id]: { id: sender.id, name: sender.name } } },
      };
    }),
    on(MembersApiActions.peopleFound, (state, { people }): MembersState => ({
      ...state,
      people: { ...state.people, ...Object.fromEntries(people.map((person) => [person.id, person])) },
    })),
  ),
});
