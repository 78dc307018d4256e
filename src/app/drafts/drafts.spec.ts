import { TestBed } from '@angular/core/testing';
import type { Action } from '@ngrx/store';
import { of, Subject } from 'rxjs';

import { AttachmentTrayActions } from '../attachments/attachments.actions';
import { SessionApiActions } from '../auth/session.actions';
import { Composer } from '../conversation/composer';
import { LOCAL_STORAGE } from '../core/local-storage';
import type { ChatMessage } from '../messages/chat-message';
import { ChatPageActions } from '../messages/chat-page.actions';
import { DraftStorage } from './draft-storage';
import { ComposerDraftActions, DraftStorageActions } from './drafts.actions';
import { saveDrafts } from './drafts.effects';
import { draftsFeature } from './drafts.feature';

const reduce = draftsFeature.reducer;

describe('drafts reducer', () => {
  it('keeps a draft per room, drops it when emptied or sent, and waits for the stored ones', () => {
    let s = reduce(undefined, SessionApiActions.signedIn({ user: { id: 'u', name: 'U' } }));
    expect(draftsFeature.selectActiveDraft.projector(s.restored, s.drafts, 'team')).toBeNull();
    s = reduce(s, DraftStorageActions.draftsRestored({ drafts: { team: 'stored', general: 'old' } }));
    s = reduce(s, ComposerDraftActions.draftChanged({ room: 'general', text: '' }));
    s = reduce(s, ComposerDraftActions.draftChanged({ room: 'dm-x', text: 'psst' }));
    expect(s.drafts).toEqual({ team: 'stored', 'dm-x': 'psst' });
    s = reduce(s, ChatPageActions.messageSent({ message: { room: 'team' } as ChatMessage }));
    expect(s.drafts).toEqual({ 'dm-x': 'psst' });
    // Sent with files: the caption travels with the message, not back into the composer.
    s = reduce(s, ComposerDraftActions.draftChanged({ room: 'team', text: 'the photos' }));
    s = reduce(s, AttachmentTrayActions.messageWithFilesSent({ message: { room: 'team' } as ChatMessage }));
    expect(s.drafts).toEqual({ 'dm-x': 'psst' });
    expect(draftsFeature.selectActiveDraft.projector(s.restored, s.drafts, 'dm-x')).toEqual({
      room: 'dm-x',
      text: 'psst',
    });
  });
});

describe('saveDrafts', () => {
  it('stores each change, and forgets a room’s draft once its message is sent, with files or without', () => {
    const saved: string[] = [];
    const storage = { save: (user: string, room: string, text: string) => saved.push(`${user}/${room}:${text}`) };
    const actions$ = new Subject<Action>();
    const store = { select: () => of({ id: 'u', name: 'U' }) };
    const subscription = saveDrafts(actions$ as never, store as never, storage as unknown as DraftStorage).subscribe();
    actions$.next(ComposerDraftActions.draftChanged({ room: 'team', text: 'the photos' }));
    actions$.next(AttachmentTrayActions.messageWithFilesSent({ message: { room: 'team' } as ChatMessage }));
    actions$.next(ComposerDraftActions.draftChanged({ room: 'general', text: 'hi' }));
    actions$.next(ChatPageActions.messageSent({ message: { room: 'general' } as ChatMessage }));
    subscription.unsubscribe();
    expect(saved).toEqual(['u/team:the photos', 'u/team:', 'u/general:hi', 'u/general:']);
  });
});

describe('DraftStorage', () => {
  it('stores one key per user and room, and loads only the signed-in user’s', () => {
    const values = new Map<string, string>();
    const storage = {
      get length() {
        return values.size;
      },
      key: (i: number) => [...values.keys()][i] ?? null,
      getItem: (k: string) => values.get(k) ?? null,
      setItem: (k: string, v: string) => values.set(k, v),
      removeItem: (k: string) => values.delete(k),
    } as unknown as Storage;
    TestBed.configureTestingModule({ providers: [{ provide: LOCAL_STORAGE, useValue: storage }] });
    const drafts = TestBed.inject(DraftStorage);
    drafts.save('u-ann', 'team', 'hello');
    drafts.save('u-ann', 'general', 'there');
    drafts.save('u-ben', 'team', 'not yours');
    drafts.save('u-ann', 'general', '');
    expect(drafts.load('u-ann')).toEqual({ team: 'hello' });
    expect(values.has('hubbub.draft.u-ann.general')).toBe(false);
  });
});

describe('the composer with drafts', () => {
  async function render() {
    const fixture = TestBed.createComponent(Composer);
    const kept: string[] = [];
    fixture.componentInstance.draftChange.subscribe((text) => kept.push(text));
    fixture.componentRef.setInput('draft', { room: 'general', text: 'saved' });
    await fixture.whenStable();
    const box = (fixture.nativeElement as HTMLElement).querySelector<HTMLTextAreaElement>('textarea')!;
    const type = async (text: string) => {
      box.value = text;
      box.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    return { fixture, box, kept, type };
  }

  it('shows each room’s draft when the room changes, and reports what is typed', async () => {
    const { fixture, box, kept, type } = await render();
    expect(box.value).toBe('saved');
    await type('saved and more');
    expect(kept).toEqual(['saved and more']);
    // The echo of our own change (same room) changes nothing.
    fixture.componentRef.setInput('draft', { room: 'general', text: 'saved and more' });
    await fixture.whenStable();
    fixture.componentRef.setInput('draft', { room: 'team', text: '' });
    await fixture.whenStable();
    expect(box.value).toBe('');
  });

  it('carries text typed while a direct message was opening into that direct message', async () => {
    const { fixture, box, kept, type } = await render();
    fixture.componentRef.setInput('busy', true);
    await fixture.whenStable();
    await type('hi there');
    expect(kept).toEqual([]); // not the room being left's draft
    fixture.componentRef.setInput('busy', false);
    fixture.componentRef.setInput('draft', { room: 'dm-x', text: '' });
    await fixture.whenStable();
    expect(box.value).toBe('hi there');
    expect(kept).toEqual(['hi there']);
  });
});
