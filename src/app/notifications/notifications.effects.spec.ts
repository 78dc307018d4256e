import { BehaviorSubject, of, Subject } from 'rxjs';

import type { MentionEvent, Room } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { ChatPageActions } from '../chat/chat-page.actions';
import { ChatHubActions } from '../core/hub.actions';
import type { BrowserNotifications } from './browser-notifications';
import { NotificationsApiActions, NotificationsButtonActions } from './notifications.actions';
import { askPermission, notifyMentions, readPermission } from './notifications.effects';

const me = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };

function setup(visible: boolean, muted = false) {
  const shown: { title: string; options: NotificationOptions; click: () => void }[] = [];
  const notifications: BrowserNotifications = {
    permission: () => 'granted',
    requestPermission: async () => 'granted',
    show: (title, options, click) => shown.push({ title, options, click }),
  };
  const rooms: Record<string, Room> = {
    team: { name: 'team', kind: 'room', title: 'Team', joined: true },
  };
  const values: unknown[] = [
    me,
    visible,
    { team: { room: 'team', readSeq: 0, unread: 1, mentions: 1, muted, version: 1 } },
    rooms,
    { 'u-ann': 'Ann' },
  ];
  let i = 0;
  // concatLatestFrom selects in this order: the user, visibility, read states, rooms, names.
  const store = { select: () => new BehaviorSubject(values[i++ % values.length]) };
  const actions$ = new Subject<never>();
  const out: unknown[] = [];
  notifyMentions(actions$, store as never, notifications).subscribe((a) => out.push(a));
  const mention = (room: string, sender = ben, text = '<@u-ann> look'): MentionEvent => ({
    room,
    message: { id: `m-${room}-${sender.id}`, room, text, sender, sentAt: '', mentions: ['u-ann'] },
  });
  const receive = (event: MentionEvent) => actions$.next(ChatHubActions.mentionReceived({ mention: event }) as never);
  return { shown, out, receive, mention };
}

describe('notifyMentions', () => {
  it('shows a mention while the tab is hidden, once per message (tag), and opens its room on click', () => {
    const { shown, out, receive, mention } = setup(false);
    receive(mention('team'));
    expect(shown).toEqual([
      {
        title: 'Ben in #Team',
        options: { body: '@Ann look', tag: 'hubbub-m-team-u-ben' },
        click: expect.any(Function),
      },
    ]);
    receive(mention('dm-u-ann-u-ben', ben, 'psst'));
    expect(shown[1].title).toBe('Ben');
    shown[0].click();
    expect(out).toEqual([ChatPageActions.roomSelected({ room: 'team' })]);
  });

  it('shows nothing while the tab is visible, for the user’s own messages, or in a muted room', () => {
    const visible = setup(true);
    visible.receive(visible.mention('team'));
    const own = setup(false);
    own.receive(own.mention('team', me));
    const muted = setup(false, true);
    muted.receive(muted.mention('team'));
    expect([...visible.shown, ...own.shown, ...muted.shown]).toEqual([]);
  });
});

describe('the permission', () => {
  it('is only read on sign-in, and asked for only when the user clicks', async () => {
    let asked = 0;
    const notifications = {
      permission: () => 'default',
      requestPermission: async () => {
        asked++;
        return 'granted';
      },
      show: () => undefined,
    } as BrowserNotifications;
    const read: unknown[] = [];
    readPermission(of(SessionApiActions.signedIn({ user: me })) as never, notifications).subscribe((a) => read.push(a));
    expect(read).toEqual([NotificationsApiActions.permissionKnown({ permission: 'default' })]);
    expect(asked).toBe(0);
    const answer = await new Promise((resolve) =>
      askPermission(of(NotificationsButtonActions.turnOnClicked()) as never, notifications).subscribe(resolve),
    );
    expect(asked).toBe(1);
    expect(answer).toEqual(NotificationsApiActions.permissionKnown({ permission: 'granted' }));
  });
});
