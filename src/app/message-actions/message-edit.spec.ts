import type { ChatMessage } from '../messages/chat-message';
import { messageEdit, type MessageEditInput, nextRevision } from './message-edit';

const ann = { id: 'u-ann', name: 'Ann' };
const now = new Date('2026-01-01T10:00:00.000Z');
// Ann's message in team, mentioning Cat, whom the @ list does not hold (not found yet).
const own: ChatMessage = {
  id: 'm2',
  room: 'team',
  text: '<@u-cat> hi',
  mentions: ['u-cat'],
  sender: ann,
  sentAt: '2026-01-01T09:00:00.000Z',
  seq: 2,
  status: 'sent',
};

function input(overrides: Partial<MessageEditInput> = {}): MessageEditInput {
  return {
    message: own,
    typed: '@Cat hi',
    options: [
      { id: 'u-ben', name: 'Ben' },
      { id: 'u-bea', name: 'Bea Long' },
      { id: 'room', name: 'room', room: true },
    ],
    names: { 'u-ben': 'Ben', 'u-ann': 'Ann', 'u-cat': 'Cat' },
    lastRevision: 0,
    now,
    ...overrides,
  };
}

describe('messageEdit', () => {
  it('encodes the edited text as a new message: people added, kept and dropped, and @room', () => {
    expect(messageEdit(input({ typed: '@Bea Long and @Cat, @room: hi (not @Ann)' }))).toEqual({
      message: own,
      text: '<@u-bea> and <@u-cat>, @room: hi (not @Ann)',
      mentions: ['u-bea', 'u-cat'],
      mentionsRoom: true,
      revision: now.getTime(),
      editedAt: '2026-01-01T10:00:00.000Z',
    });
  });

  it('mentions nobody once the text names no one', () => {
    expect(messageEdit(input({ typed: 'hi all' }))).toMatchObject({
      text: 'hi all',
      mentions: [],
      mentionsRoom: false,
    });
  });

  it('leaves a name that two people share as text, as a new message does', () => {
    const edit = messageEdit(input({ typed: '@Cat again', options: [{ id: 'u-cat-2', name: 'Cat' }] }));
    expect(edit).toMatchObject({ text: '@Cat again', mentions: [] });
  });

  it('takes the revision after the last one used', () => {
    expect(messageEdit(input({ lastRevision: now.getTime() })).revision).toBe(now.getTime() + 1);
  });
});

describe('nextRevision', () => {
  it('is the time, or one above the last revision when that is not behind the clock', () => {
    expect(nextRevision(0, now)).toBe(now.getTime());
    expect(nextRevision(now.getTime(), now)).toBe(now.getTime() + 1);
    expect(nextRevision(now.getTime() + 5, now)).toBe(now.getTime() + 6);
  });
});
