import { ChatHubActions } from '../core/hub.actions';
import { TypingActions } from './typing.actions';
import { typingFeature } from './typing.feature';

const ann = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };

describe('typing reducer and selector', () => {
  const typing = (user: typeof ann, room = 'general') => ChatHubActions.typingReceived({ typing: { room, user } });
  const typists = (rooms: ReturnType<typeof typingFeature.reducer>['rooms'], me = ann) =>
    typingFeature.selectActiveTypists.projector(rooms, 'general', me);

  it('lists others typing in the open room, never the signed-in user', () => {
    const state = [typing(ann), typing(ben), typing({ id: 'u-cat', name: 'Cat' }, 'team')].reduce(
      (current, action) => typingFeature.reducer(current, action),
      typingFeature.reducer(undefined, { type: 'init' }),
    );
    expect(typists(state.rooms)).toEqual(['Ben']);
  });

  it('forgets a typist when their time is up or their message arrives', () => {
    const typingState = typingFeature.reducer(undefined, typing(ben));
    const expired = typingFeature.reducer(typingState, TypingActions.expired({ room: 'general', userId: ben.id }));
    expect(typists(expired.rooms)).toEqual([]);
    const sent = typingFeature.reducer(
      typingState,
      ChatHubActions.messageReceived({
        message: { id: 'm', room: 'general', text: 'hi', sender: ben, sentAt: '2026-01-01T00:00:00Z' },
      }),
    );
    expect(typists(sent.rooms)).toEqual([]);
  });
});
