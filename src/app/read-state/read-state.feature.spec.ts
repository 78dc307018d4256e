import type { Message, ReadState } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { ChatHubActions } from '../core/hub.actions';
import { ChatPageActions } from '../messages/chat-page.actions';
import { BlocksApiActions, PeopleListActions } from '../people/people.actions';
import { MessageListActions, ReadStateApiActions } from './read-state.actions';
import { initialReadState, readStateFeature, type ReadStateState } from './read-state.feature';
import { selectReadTarget } from './read-state.selectors';

const reduce = readStateFeature.reducer;
const state = (room: string, change: Partial<ReadState> = {}): ReadState => ({
  room,
  readSeq: 10,
  unread: 0,
  mentions: 0,
  muted: false,
  version: 1,
  ...change,
});
const message = (change: Partial<Message> = {}): Message => ({
  id: 'm1',
  room: 'team',
  text: 'hi',
  sender: { id: 'u-ben', name: 'Ben' },
  sentAt: '2026-01-01T10:00:00Z',
  seq: 11,
  ...change,
});

function loaded(...rooms: ReadState[]): ReadStateState {
  const signedIn = reduce(initialReadState, SessionApiActions.signedIn({ user: { id: 'u-ann', name: 'Ann' } }));
  return reduce(signedIn, ReadStateApiActions.readStateLoaded({ rooms }));
}

describe('readState reducer', () => {
  it('applies events only when their version is higher, so a late event never moves a tab back', () => {
    let s = loaded(state('team', { version: 3, unread: 2 }));
    s = reduce(s, ChatHubActions.readStateReceived({ state: state('team', { version: 2, unread: 7 }) }));
    s = reduce(s, ChatHubActions.readStateReceived({ state: state('team', { version: 3, unread: 7 }) }));
    expect(s.rooms['team'].unread).toBe(2);
    s = reduce(s, ChatHubActions.readStateReceived({ state: state('team', { version: 4, unread: 0, readSeq: 20 }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 0, readSeq: 20, version: 4 });
    // A full load is the server's count now: the same version's newer counts replace the held ones.
    s = reduce(s, ReadStateApiActions.readStateLoaded({ rooms: [state('team', { version: 4, unread: 5 })] }));
    expect(s.rooms['team'].unread).toBe(5);
  });

  it('counts a new message from someone else once, as a mention when it names the user, @room or in a DM', () => {
    let s = loaded(state('team'), state('general'), state('dm-a-b'));
    s = reduce(s, ChatHubActions.messageReceived({ message: message() }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message() })); // delivered twice
    expect(s.rooms['team']).toMatchObject({ unread: 1, mentions: 0 });
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'm2', mentions: ['u-ann'] }) }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'm3', mentionsRoom: true }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 3, mentions: 2 });
    // @room does not count in general; every DM message does.
    s = reduce(
      s,
      ChatHubActions.messageReceived({ message: message({ id: 'g', room: 'general', mentionsRoom: true }) }),
    );
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'd', room: 'dm-a-b' }) }));
    expect(s.rooms['general']).toMatchObject({ unread: 1, mentions: 0 });
    expect(s.rooms['dm-a-b']).toMatchObject({ unread: 1, mentions: 1 });
  });

  it('counts the messages of someone blocked as unread but never as mentions, from the block until the unblock', () => {
    const ben = { id: 'u-ben', name: 'Ben' };
    let s = loaded(state('team'));
    s = reduce(s, BlocksApiActions.blocksLoaded({ users: [ben] }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'm1', mentions: ['u-ann'] }) }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'm2', mentionsRoom: true }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 2, mentions: 0 });
    s = reduce(s, PeopleListActions.unblockClicked({ user: ben }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'm3', mentions: ['u-ann'] }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 3, mentions: 1 });
    // Refused by the server: blocked again.
    s = reduce(s, BlocksApiActions.unblockFailed({ user: ben, error: 'busy' }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'm4', mentions: ['u-ann'] }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 4, mentions: 1 });
  });

  it('does not count own messages, deleted ones or ones at or before the read position', () => {
    let s = loaded(state('team'));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ sender: { id: 'u-ann', name: 'Ann' } }) }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'x', deleted: true }) }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'y', seq: 10 }) }));
    expect(s.rooms['team'].unread).toBe(0);
  });

  it('takes a message counted here off again when it is deleted, as a fresh load would not count it', () => {
    let s = loaded(state('team', { unread: 1, mentions: 1 }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'a', mentions: ['u-ann'] }) }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'b', seq: 12 }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 3, mentions: 2 });
    // A deletion carries no mentions any more: what was counted is remembered.
    const deleted = (id: string, seq: number) =>
      ChatHubActions.messageChanged({ message: message({ id, seq, text: '', deleted: true }) });
    s = reduce(s, deleted('a', 13));
    expect(s.rooms['team']).toMatchObject({ unread: 2, mentions: 1 });
    s = reduce(s, deleted('a', 13)); // delivered twice
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'a', mentions: ['u-ann'] }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 2, mentions: 1 });
    s = reduce(s, deleted('b', 14));
    expect(s.rooms['team']).toMatchObject({ unread: 1, mentions: 1 });
    // Edits, and deletions of messages not counted here (own, read, or in the server's count), change nothing.
    s = reduce(s, ChatHubActions.messageChanged({ message: message({ id: 'c', seq: 15, editedAt: 'x' }) }));
    s = reduce(s, deleted('old', 16));
    expect(s.rooms['team']).toMatchObject({ unread: 1, mentions: 1 });
  });

  it('moves the mention count when an edit of a message counted here adds or removes @room or the user', () => {
    let s = loaded(state('team', { unread: 4, mentions: 1 }));
    s = reduce(s, ChatHubActions.messageReceived({ message: message({ id: 'a' }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 5, mentions: 1 });
    const edited = (seq: number, change: Partial<Message>) =>
      ChatHubActions.messageChanged({ message: message({ id: 'a', seq, editedAt: 'x', ...change }) });
    s = reduce(s, edited(13, { mentionsRoom: true }));
    expect(s.rooms['team']).toMatchObject({ unread: 5, mentions: 2 });
    s = reduce(s, edited(14, { mentionsRoom: true, mentions: ['u-ann'] })); // still one mention
    s = reduce(s, edited(14, { mentionsRoom: true, mentions: ['u-ann'] })); // delivered twice
    expect(s.rooms['team']).toMatchObject({ mentions: 2 });
    s = reduce(s, edited(15, {}));
    expect(s.rooms['team']).toMatchObject({ unread: 5, mentions: 1 });
    // A message the server's state counted (not counted here) waits for the next state.
    s = reduce(s, ChatHubActions.messageChanged({ message: message({ id: 'old', seq: 16, mentionsRoom: true }) }));
    expect(s.rooms['team']).toMatchObject({ unread: 5, mentions: 1 });
  });

  it('hides the counts of the room on screen unless the user marked it unread, until they open another room', () => {
    let s = loaded(state('team', { unread: 2, mentions: 1 }), state('general', { unread: 1 }));
    const counts = (rs: ReadStateState, room: string, visible = true) =>
      readStateFeature.selectRoomCounts.projector(
        rs.rooms,
        readStateFeature.selectRoomOnScreen.projector(room, visible, rs.heldUnread, rs.unreadElsewhere),
      );
    expect(counts(s, 'team')).toEqual({
      team: { unread: 0, mentions: 0, muted: false },
      general: { unread: 1, mentions: 0, muted: false },
    });
    expect(counts(s, 'team', false)['team']).toEqual({ unread: 2, mentions: 1, muted: false });
    s = reduce(s, MessageListActions.markUnreadClicked({ room: 'team', messageId: 'm1' }));
    expect(counts(s, 'team')['team'].unread).toBe(2);
    s = reduce(s, ChatPageActions.roomSelected({ room: 'general' }));
    expect(s.heldUnread).toBeNull();
  });

  it('keeps a room another tab marked unread unread in this tab, though on screen, until the person opens a room here', () => {
    let s = loaded(state('team', { readSeq: 12, unread: 0, version: 3 }));
    const counts = (rs: ReadStateState) =>
      readStateFeature.selectRoomCounts.projector(
        rs.rooms,
        readStateFeature.selectRoomOnScreen.projector('team', true, rs.heldUnread, rs.unreadElsewhere),
      );
    // Read further by another tab: no hold.
    s = reduce(s, ChatHubActions.readStateReceived({ state: state('team', { readSeq: 14, unread: 0, version: 4 }) }));
    expect(s.unreadElsewhere).toBeNull();
    // Marked unread elsewhere: the position moved back.
    s = reduce(s, ChatHubActions.readStateReceived({ state: state('team', { readSeq: 9, unread: 2, version: 5 }) }));
    expect(counts(s)['team'].unread).toBe(2);
    // The same event again (older or equal version) changes nothing.
    expect(
      reduce(s, ChatHubActions.readStateReceived({ state: state('team', { readSeq: 9, unread: 2, version: 5 }) })),
    ).toBe(s);
    s = reduce(s, ChatPageActions.roomSelected({ room: 'team' }));
    expect(s.unreadElsewhere).toBeNull();
    expect(counts(s)['team'].unread).toBe(0);
  });
});

describe('selectReadTarget', () => {
  const rooms = { team: state('team', { readSeq: 10, unread: 0 }) };
  it('asks to read the room on screen up to the newest change held, only when scrolled to the end and behind', () => {
    expect(selectReadTarget.projector('team', true, rooms, { team: 12 })).toEqual({ room: 'team', seq: 12, unread: 0 });
    expect(selectReadTarget.projector('team', false, rooms, { team: 12 })).toBeNull();
    expect(selectReadTarget.projector('team', true, rooms, { team: 10 })).toBeNull();
    expect(selectReadTarget.projector(null, true, rooms, { team: 12 })).toBeNull();
    // Counted unread but no history yet: read to the room's newest.
    const counted = { team: state('team', { unread: 3 }) };
    expect(selectReadTarget.projector('team', true, counted, {})).toEqual({ room: 'team', seq: undefined, unread: 3 });
  });
});
