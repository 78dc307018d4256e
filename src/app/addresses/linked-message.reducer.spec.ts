import type { Message } from '../../../contract';
import { HistoryApiActions } from '../history/history.actions';
import { selectCatchUpCursors } from '../history/history.selectors';
import { chatSelectors } from '../messages/chat.selectors';
import { type ChatState, initialChatState } from '../messages/chat.state';
import { ChatPageActions } from '../messages/chat-page.actions';
import { chatReducer } from '../shell/chat.reducer';
import { LinkedMessageApiActions } from './addresses.actions';

const ben = { id: 'u-ben', name: 'Ben' };

function message(id: string, seq: number, room = 'team'): Message {
  return {
    id,
    room,
    text: `text ${id}`,
    sender: ben,
    sentAt: `2026-01-01T10:00:${String(seq).padStart(2, '0')}Z`,
    seq,
  };
}

function reduce(state: ChatState, ...actions: Parameters<typeof chatReducer>[1][]): ChatState {
  return actions.reduce((next, action) => chatReducer(next, action), state);
}

const newestPage = HistoryApiActions.historyLoaded({
  room: 'team',
  messages: [message('n1', 50), message('n2', 51)],
  hasMore: true,
  cursor: 51,
});

describe('chat reducer: a message address', () => {
  it('shows a message already held at once, keeping the room as it is', () => {
    const loaded = reduce(initialChatState, newestPage);
    const state = reduce(loaded, ChatPageActions.messageLinkOpened({ room: 'team', id: 'n1' }));
    expect(state.linked).toEqual({ room: 'team', id: 'n1', status: 'found' });
    expect(state.ids).toEqual(['n1', 'n2']);
    expect(state.history).toBe(loaded.history);
  });

  it('starts a loaded room again from the page around an older message, so no hole lies between two runs', () => {
    const pending = { ...message('p1', 0), seq: undefined, sentAt: '2026-01-01T10:01:00Z', status: 'pending' as const };
    const loaded = reduce(
      { ...initialChatState, ids: ['p1'], entities: { p1: pending } },
      newestPage,
      HistoryApiActions.historyLoaded({
        room: 'general',
        messages: [message('g1', 3, 'general')],
        hasMore: false,
        cursor: 3,
      }),
    );
    const opening = reduce(loaded, ChatPageActions.messageLinkOpened({ room: 'team', id: 'old' }));
    expect(opening.linked).toEqual({ room: 'team', id: 'old', status: 'loading' });
    // The confirmed messages go (catch-up brings them back); what is still being sent stays; other rooms are untouched.
    expect(opening.ids).toEqual(['g1', 'p1']);
    expect(Object.keys(opening.history)).toEqual(['general']);

    const around = reduce(
      opening,
      HistoryApiActions.historyLoaded({
        room: 'team',
        messages: [message('before', 10), message('old', 11), message('after', 12)],
        hasMore: true,
        cursor: 12,
      }),
    );
    expect(around.linked).toEqual({ room: 'team', id: 'old', status: 'found' });
    // Catch-up goes on from the page: everything newer than it arrives.
    expect(selectCatchUpCursors.projector(around.history, chatSelectors.selectAllMessages.projector(around))).toEqual({
      general: 3,
      team: 12,
    });
  });

  it('says a message is missing when the room has none such, and forgets the address when another room opens', () => {
    const opening = reduce(initialChatState, ChatPageActions.messageLinkOpened({ room: 'team', id: 'gone' }));
    const missing = reduce(opening, LinkedMessageApiActions.linkedMessageMissing({ room: 'team', id: 'gone' }));
    expect(missing.linked?.status).toBe('missing');
    // The newest page that follows leaves it missing.
    expect(reduce(missing, newestPage).linked?.status).toBe('missing');
    expect(reduce(missing, ChatPageActions.roomSelected({ room: 'team' })).linked?.status).toBe('missing');
    expect(reduce(missing, ChatPageActions.roomSelected({ room: 'general' })).linked).toBeNull();
  });
});
