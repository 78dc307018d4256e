import { TestBed } from '@angular/core/testing';

import { SessionApiActions } from '../auth/session.actions';
import type { ChatMessage } from '../chat/chat-message';
import { ChatPageActions } from '../chat/chat-page.actions';
import { Composer } from '../chat/composer';
import { LOCAL_STORAGE } from '../outbox/outbox-storage';
import { DraftStorage } from './draft-storage';
import { ComposerDraftActions, DraftStorageActions } from './drafts.actions';
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
    expect(draftsFeature.selectActiveDraft.projector(s.restored, s.drafts, 'dm-x')).toEqual({
      room: 'dm-x',
      text: 'psst',
    });
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
