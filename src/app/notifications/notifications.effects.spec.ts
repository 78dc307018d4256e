import { TestBed } from '@angular/core/testing';
import { BehaviorSubject, type Observable, of, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { MentionEvent, NotifyLevel, ReadState, Room } from '../../../contract';
import { SessionApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { ChatHubActions } from '../core/hub.actions';
import { EmojiShortcodes } from '../formatting/emoji-shortcodes';
import { Formatter } from '../formatting/formatter';
import { selectMentionNames } from '../mentions/mention.selectors';
import { chatSelectors } from '../messages/chat.selectors';
import { selectBlockedIds } from '../people/blocks.feature';
import { readStateFeature } from '../read-state/read-state.feature';
import { roomsFeature } from '../rooms/rooms.feature';
import type { BrowserNotifications } from './browser-notifications';
import { BrowserNotificationActions, NotificationsApiActions } from './notifications.actions';
import { notifyMentions, readPermission } from './notifications.effects';

const me = { id: 'u-ann', name: 'Ann' };
const ben = { id: 'u-ben', name: 'Ben' };

const readState = (readSeq: number, muted = false, notify?: NotifyLevel): ReadState => ({
  room: 'team',
  readSeq,
  unread: 1,
  mentions: 1,
  muted,
  ...(notify && { notify }),
  version: readSeq,
});

interface Shown {
  readonly title: string;
  readonly options: NotificationOptions;
  readonly click: () => void;
  readonly at: number;
  closedAt?: number;
}

// The real parser and emoji table make the notification's text, loaded before the virtual clock runs.
let formatter: Formatter;
beforeEach(async () => {
  formatter = TestBed.inject(Formatter);
  await formatter.load();
  await TestBed.inject(EmojiShortcodes).load();
});

/** The effect with a store of this tab (its read states can change), over a virtual clock. */
function setup(
  scheduler: TestScheduler,
  visible: boolean,
  muted = false,
  blocked: readonly string[] = [],
  notify?: NotifyLevel,
) {
  const shown: Shown[] = [];
  const notifications: BrowserNotifications = {
    permission: () => 'granted',
    requestPermission: async () => 'granted',
    show: (title, options, click, close) => {
      const entry: Shown = { title, options, click, at: scheduler.now() };
      shown.push(entry);
      return () => {
        entry.closedAt ??= scheduler.now();
        close();
      };
    },
  };
  let emojiLoads = 0;
  const emoji = {
    load: async () => {
      emojiLoads++;
    },
  };
  const rooms: Record<string, Room> = {
    team: { name: 'team', kind: 'room', title: 'Team', joined: true },
  };
  const readStates = new BehaviorSubject<Record<string, ReadState>>({ team: readState(10, muted, notify) });
  const selected = new Map<unknown, Observable<unknown>>([
    [sessionFeature.selectUser, of(me)],
    [chatSelectors.selectVisible, of(visible)],
    [readStateFeature.selectRooms, readStates],
    [roomsFeature.selectRoomEntities, of(rooms)],
    [selectMentionNames, of({ 'u-ann': 'Ann' })],
    [selectBlockedIds, of(new Set(blocked))],
  ]);
  const store = { select: (selector: unknown) => selected.get(selector) };
  const actions$ = new Subject<never>();
  const out: unknown[] = [];
  notifyMentions(actions$, store as never, notifications, emoji, formatter, scheduler).subscribe((a) => out.push(a));
  const mention = (room: string, sender = ben, text = '<@u-ann> look', seq = 11): MentionEvent => ({
    room,
    message: { id: `m-${room}-${seq}`, room, text, sender, sentAt: '', seq, mentions: ['u-ann'] },
  });
  const receive = (event: MentionEvent) => actions$.next(ChatHubActions.mentionReceived({ mention: event }) as never);
  /** A read position of the room arrives here: from this tab, another one or another device. */
  const readTo = (readSeq: number) => readStates.next({ team: readState(readSeq, muted, notify) });
  return { shown, out, receive, mention, readTo, emojiLoads: () => emojiLoads };
}

function virtualTime(test: (scheduler: TestScheduler) => void): void {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(() => test(scheduler));
}

describe('notifyMentions', () => {
  it('shows a mention while the tab is hidden a second later, once per message (tag), and opens the message address on click', () => {
    virtualTime((scheduler) => {
      const { shown, out, receive, mention } = setup(scheduler, false);
      receive(mention('team'));
      scheduler.schedule(() => receive(mention('dm-u-ann-u-ben', ben, 'psst')), 10);
      scheduler.flush();
      expect(shown).toEqual([
        {
          title: 'Ben in #Team',
          options: { body: '@Ann look', tag: 'hubbub:team:m-team-11' },
          click: expect.any(Function),
          at: 1000,
        },
        expect.objectContaining({ title: 'Ben', at: 1010 }),
      ]);
      shown[0].click();
      expect(out).toEqual([BrowserNotificationActions.clicked({ room: 'team', messageId: 'm-team-11' })]);
    });
  });

  it("shows none for someone the user blocked (their @room reaches the room's group), and still for others", () => {
    virtualTime((scheduler) => {
      const cat = { id: 'u-cat', name: 'Cat' };
      const { shown, receive, mention } = setup(scheduler, false, false, [ben.id]);
      receive(mention('team', ben, '@room hello', 11));
      receive(mention('team', cat, '@room hi', 12));
      scheduler.flush();
      expect(shown.map(({ title }) => title)).toEqual(['Cat in #Team']);
    });
  });

  it('shows none when the message is read meanwhile (another tab shows the room), and closes one read later', () => {
    virtualTime((scheduler) => {
      const { shown, receive, mention, readTo } = setup(scheduler, false);
      receive(mention('team', ben, 'first', 11));
      // Another tab reads the room up to the message 400 ms later: nothing is shown here.
      scheduler.schedule(() => readTo(11), 400);
      // A later message: a read position before it changes nothing; one covering it closes it.
      scheduler.schedule(() => receive(mention('team', ben, 'second', 12)), 2000);
      scheduler.schedule(() => readTo(11), 2500);
      scheduler.schedule(() => readTo(12), 5000);
      scheduler.flush();
      expect(shown.map(({ options, at, closedAt }) => ({ body: options.body, at, closedAt }))).toEqual([
        { body: 'second', at: 3000, closedAt: 5000 },
      ]);
    });
  });

  it('shows nothing for a message read already, while the tab is visible, for own messages or when muted', () => {
    virtualTime((scheduler) => {
      const read = setup(scheduler, false);
      read.receive(read.mention('team', ben, 'old', 10));
      const visible = setup(scheduler, true);
      visible.receive(visible.mention('team'));
      const own = setup(scheduler, false);
      own.receive(own.mention('team', me));
      const muted = setup(scheduler, false, true);
      muted.receive(muted.mention('team'));
      scheduler.flush();
      expect([...read.shown, ...visible.shown, ...own.shown, ...muted.shown]).toEqual([]);
    });
  });

  it("follows the room's level: none at 'nothing' (whatever `muted` says), as before at 'mentions'", () => {
    virtualTime((scheduler) => {
      const quiet = setup(scheduler, false, false, [], 'nothing');
      quiet.receive(quiet.mention('team'));
      const mentions = setup(scheduler, false, true, [], 'mentions');
      mentions.receive(mentions.mention('team'));
      scheduler.flush();
      expect(quiet.shown).toEqual([]);
      expect(mentions.shown.map(({ title }) => title)).toEqual(['Ben in #Team']);
    });
  });

  it('shows the text without Markdown markers, shortcodes as emoji (their table loaded meanwhile)', () => {
    virtualTime((scheduler) => {
      const { shown, receive, mention, emojiLoads } = setup(scheduler, false, false);
      receive(mention('team', ben, '**<@u-ann>** we _shipped_ it :tada: see [the notes](https://x.test/n) `a_b*c*`'));
      expect(emojiLoads()).toBe(1);
      scheduler.flush();
      expect(shown[0].options.body).toBe('@Ann we shipped it 🎉 see the notes a_b*c*');
    });
  });
});

describe('the permission', () => {
  it('is only read on sign-in, never asked for there', () => {
    let asked = 0;
    const notifications = {
      permission: () => 'default',
      requestPermission: async () => {
        asked++;
        return 'granted';
      },
      show: () => () => undefined,
    } as BrowserNotifications;
    const read: unknown[] = [];
    readPermission(of(SessionApiActions.signedIn({ user: me })) as never, notifications).subscribe((a) => read.push(a));
    expect(read).toEqual([NotificationsApiActions.permissionKnown({ permission: 'default' })]);
    expect(asked).toBe(0);
  });
});
