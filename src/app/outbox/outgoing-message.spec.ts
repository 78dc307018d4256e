import type { ChatMessage } from '../messages/chat-message';
import { outgoingMessage, type OutgoingMessageInput, replyExcerpt } from './outgoing-message';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };
const now = new Date('2026-01-01T10:00:00.000Z');

function input(overrides: Partial<OutgoingMessageInput> = {}): OutgoingMessageInput {
  return {
    id: 'm-new',
    room: 'general',
    sender: ann,
    typed: 'hello',
    picked: [],
    options: [
      { id: 'u-ben', name: 'Ben' },
      { id: 'u-bea', name: 'Bea Long' },
      { id: 'room', name: 'room', room: true },
    ],
    replyingTo: null,
    names: { 'u-ben': 'Ben', 'u-ann': 'Ann' },
    now,
    ...overrides,
  };
}

describe('outgoingMessage', () => {
  it('is a pending message with the given id, sender and time, mentioning nobody when no one is named', () => {
    expect(outgoingMessage(input())).toEqual({
      id: 'm-new',
      room: 'general',
      text: 'hello',
      sender: ann,
      sentAt: '2026-01-01T10:00:00.000Z',
      status: 'pending',
    });
  });

  it('encodes the people named as tokens, and @room where the room allows it', () => {
    const message = outgoingMessage(input({ room: 'team', typed: '@Bea Long and @Ben, @room: lunch? (@Benny)' }));
    expect(message).toMatchObject({
      text: '<@u-bea> and <@u-ben>, @room: lunch? (@Benny)',
      mentions: ['u-bea', 'u-ben'],
      mentionsRoom: true,
    });
    // general does not allow @room: the words stay, nobody is notified.
    const general = outgoingMessage(input({ typed: '@room hi' }));
    expect(general).toMatchObject({ text: '@room hi' });
    expect(general.mentionsRoom).toBeUndefined();
  });

  it('mentions the person picked when two share a name, and leaves a shared name typed by hand as text', () => {
    const message = outgoingMessage(
      input({
        typed: '@Cy and @Cy',
        picked: [{ id: 'u-cy-2', name: 'Cy', at: 0 }],
        options: [
          { id: 'u-cy-1', name: 'Cy' },
          { id: 'u-cy-2', name: 'Cy' },
        ],
      }),
    );
    expect(message).toMatchObject({ text: '<@u-cy-2> and @Cy', mentions: ['u-cy-2'] });
  });

  it('quotes the message answered: its sender and its text as read, cut to the excerpt length', () => {
    const original: ChatMessage = {
      id: 'q1',
      room: 'general',
      text: `<@u-ann> ${'x'.repeat(300)}`,
      mentions: ['u-ann'],
      sender: ben,
      sentAt: '2026-01-01T09:00:00.000Z',
      status: 'sent',
    };
    const { replyTo } = outgoingMessage(input({ replyingTo: original }));
    expect(replyTo).toEqual({ id: 'q1', sender: ben, excerpt: replyExcerpt(original, { 'u-ann': 'Ann' }) });
    expect(replyTo?.excerpt?.startsWith('@Ann xx')).toBe(true);
    expect(replyTo?.excerpt?.length).toBeLessThan(original.text.length);
  });
});
