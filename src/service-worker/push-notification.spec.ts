import { messageAddress, notificationTag, type PushPayload } from '../../contract';
import { openMessageNote, pickWindow, pushNotification, sameOriginPath } from './push-notification';

const payload: PushPayload = {
  room: 'team',
  roomTitle: 'Team',
  sender: { id: 'u-ben', name: 'Ben' },
  excerpt: '@Ann look at this',
  messageId: 'm-1',
  url: messageAddress('team', 'm-1'),
  tag: notificationTag('team', 'm-1'),
  reason: 'mention',
};

describe('the notification of a push', () => {
  it('shows the sender, the room and the excerpt, tagged per message, and carries the address', () => {
    expect(pushNotification(payload)).toEqual({
      title: 'Ben in #Team',
      options: {
        body: '@Ann look at this',
        icon: '/icons/icon-192.png',
        tag: 'hubbub:team:m-1',
        data: { url: '/r/team/m/m-1', room: 'team', messageId: 'm-1' },
      },
    });
  });

  it('names only the sender in a direct or group message', () => {
    expect(pushNotification({ ...payload, room: 'dm-u-ann-u-ben', roomTitle: 'Ben' }).title).toBe('Ben');
  });

  it('shows something neutral for a payload that is not ours, and never opens another origin', () => {
    for (const odd of [undefined, 'text', { ...payload, tag: 3 }]) {
      expect(pushNotification(odd)).toMatchObject({ title: 'Hubbub', options: { data: { url: '/' } } });
    }
    for (const url of ['https://evil.test/', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)', 42]) {
      expect(sameOriginPath(url)).toBe('/');
    }
    expect(pushNotification({ ...payload, url: 'https://evil.test/r/team' }).options.data.url).toBe('/');
  });
});

describe('a click on it', () => {
  it('tells the page which message to open', () => {
    expect(openMessageNote({ url: '/r/team/m/m-1', room: 'team', messageId: 'm-1' })).toEqual({
      type: 'hubbub:open-message',
      url: '/r/team/m/m-1',
      room: 'team',
      messageId: 'm-1',
    });
    expect(openMessageNote(null)).toEqual({ type: 'hubbub:open-message', url: '/' });
  });

  it('goes to the focused window of ours, else a visible one, else any, else a new one', () => {
    const origin = 'https://hubbub.test';
    const w = (url: string, focused: boolean, visibilityState: string) => ({ url, focused, visibilityState });
    const other = w('https://elsewhere.test/', true, 'visible');
    const hidden = w(`${origin}/r/general`, false, 'hidden');
    const visible = w(`${origin}/r/team`, false, 'visible');
    const focused = w(`${origin}/`, true, 'visible');
    expect(pickWindow([other, hidden, visible, focused], origin)).toBe(focused);
    expect(pickWindow([other, hidden, visible], origin)).toBe(visible);
    expect(pickWindow([other, hidden], origin)).toBe(hidden);
    expect(pickWindow([other], origin)).toBeUndefined();
  });
});
