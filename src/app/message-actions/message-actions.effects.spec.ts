import { TestBed } from '@angular/core/testing';
import { provideMockActions } from '@ngrx/effects/testing';
import { type Action } from '@ngrx/store';
import { type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import type { Message } from '../../../contract';
import { ApiError } from '../core/api-client';
import type { ChatMessage } from '../messages/chat-message';
import { MessageActionsApiActions, MessageMenuActions } from './message-actions.actions';
import { changeMessages } from './message-actions.effects';
import { MessageActionsApi } from './message-actions-api';

const ann = { id: 'u-ann', name: 'Ann' };
const held: ChatMessage = {
  id: 'a',
  room: 'general',
  text: 'old',
  sender: ann,
  sentAt: '2026-01-01T10:00:00Z',
  seq: 1,
  status: 'sent',
};
const stored = (seq: number, text = 'old'): Message => ({ ...held, text, seq });

describe('changeMessages', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function run(actions$: Observable<Action>, api: Partial<MessageActionsApi>, delays?: readonly number[]) {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideMockActions(() => actions$), { provide: MessageActionsApi, useValue: api }],
    });
    return TestBed.runInInjectionContext(() => changeMessages(undefined, undefined, delays, scheduler));
  }

  it('sends one message’s changes one at a time in order, and another message’s alongside', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const other = { ...held, id: 'b' };
      const actions$ = hot('ab c', {
        a: MessageMenuActions.editSaved({
          message: held,
          text: 'one',
          mentions: [],
          mentionsRoom: false,
          revision: 1,
          editedAt: 't',
        }),
        b: MessageMenuActions.reactionToggled({ message: held, emoji: '👍', add: true, user: ann }),
        c: MessageMenuActions.deleteConfirmed({ message: other, by: ann }),
      });
      const effect = run(actions$, {
        edit: () => cold('---x|', { x: stored(2, 'one') }),
        react: () => cold('----x|', { x: stored(3, 'one') }),
        remove: () => cold('-x|', { x: { ...other, text: '', deleted: true, seq: 4 } }),
      });
      // The reaction waits for the edit (done at 4), then takes 4; b's deletion does not wait.
      expectObservable(effect).toBe('---(xz)-y', {
        x: MessageActionsApiActions.changeSaved({ message: stored(2, 'one') }),
        y: MessageActionsApiActions.changeSaved({ message: stored(3, 'one') }),
        z: MessageActionsApiActions.changeSaved({ message: { ...other, text: '', deleted: true, seq: 4 } }),
      });
    });
  });

  it('sends an edit with whom it mentions now', () => {
    const sent: unknown[][] = [];
    scheduler.run(({ hot, cold, expectObservable }) => {
      const edit = { text: '<@u-ben> @room hi', mentions: ['u-ben'], mentionsRoom: true, revision: 7, editedAt: 't' };
      const actions$ = hot('a', { a: MessageMenuActions.editSaved({ message: held, ...edit }) });
      const effect = run(actions$, {
        edit: (...args: unknown[]) => {
          sent.push(args);
          return cold('x|', { x: stored(2, edit.text) });
        },
      });
      expectObservable(effect).toBe('x', {
        x: MessageActionsApiActions.changeSaved({ message: stored(2, edit.text) }),
      });
    });
    expect(sent).toEqual([
      [
        'general',
        'a',
        expect.objectContaining({ text: '<@u-ben> @room hi', mentions: ['u-ben'], mentionsRoom: true, revision: 7 }),
      ],
    ]);
  });

  it('answers a refusal with the copy to restore and the server’s reason', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const actions$ = hot('a', { a: MessageMenuActions.deleteConfirmed({ message: held, by: ann }) });
      const effect = run(actions$, {
        remove: () =>
          cold('#', {}, new ApiError(403, 'forbidden', "Only the author or the room's owner can delete a message")),
      });
      expectObservable(effect).toBe('a', {
        a: MessageActionsApiActions.changeFailed({
          previous: held,
          error: "Only the author or the room's owner can delete a message",
        }),
      });
    });
  });

  it('sends a change again when the server failed or did not answer (it may have been stored)', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const answers = [
        cold<Message>('#', {}, new ApiError(500, 'internal', 'Exception while executing function')),
        cold<Message>('#', {}, new ApiError(0, 'network', 'offline')),
        cold<Message>('x|', { x: stored(2, 'new') }),
      ];
      const actions$ = hot('a', {
        a: MessageMenuActions.editSaved({
          message: held,
          text: 'new',
          mentions: [],
          mentionsRoom: false,
          revision: 1,
          editedAt: 't',
        }),
      });
      const effect = run(actions$, { edit: () => answers.shift()! }, [10, 20]);
      expectObservable(effect).toBe('30ms x', {
        x: MessageActionsApiActions.changeSaved({ message: stored(2, 'new') }),
      });
    });
  });

  it('gives a change up after the last retry', () => {
    scheduler.run(({ hot, cold, expectObservable }) => {
      const down = () => cold<Message>('#', {}, new ApiError(503, 'service_unavailable', 'down'));
      const actions$ = hot('a', {
        a: MessageMenuActions.reactionToggled({ message: held, emoji: '👍', add: true, user: ann }),
      });
      const effect = run(actions$, { react: down }, [10]);
      expectObservable(effect).toBe('10ms x', {
        x: MessageActionsApiActions.changeFailed({
          previous: held,
          error: 'The server failed — the change may not have been saved; try again',
        }),
      });
    });
  });
});
