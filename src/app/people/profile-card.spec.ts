import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import type { Profile } from '../../../contract';
import { ProfileCard } from './profile-card';
import { type PersonView, PROFILE_HOST, type ProfileHost } from './profile-opener';

async function render(view: PersonView | null, selfId = 'u-me') {
  const messaged: string[] = [];
  const changes = new Subject<Profile>();
  const profile: Profile = {
    id: 'u-uma',
    name: 'Uma',
    presence: 'away',
    about: 'Keeps the lights on',
    timeZone: 'Asia/Tokyo',
  };
  const host: Partial<ProfileHost> = {
    selfId: signal(selfId),
    person: () => signal(view),
    message: (id: string) => messaged.push(id),
  };
  host.profile = () => {
    const answers = new Subject<Profile>();
    queueMicrotask(() => answers.next(profile));
    changes.subscribe((p) => answers.next(p));
    return answers;
  };
  TestBed.configureTestingModule({ providers: [{ provide: PROFILE_HOST, useValue: host }] });
  const anchor = document.createElement('button');
  document.body.append(anchor);
  const fixture = TestBed.createComponent(ProfileCard);
  fixture.componentRef.setInput('userId', 'u-uma');
  fixture.componentRef.setInput('anchor', anchor);
  const closed: string[] = [];
  fixture.componentInstance.closed.subscribe((reason) => closed.push(reason));
  document.body.append(fixture.nativeElement as HTMLElement);
  await fixture.whenStable();
  await Promise.resolve();
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const byTestId = (id: string) => element.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  return { fixture, element, byTestId, closed, messaged, changes, anchor };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ProfileCard', () => {
  it('shows the person live from the list, their about line and local time; Message opens the DM', async () => {
    const { byTestId, closed, messaged } = await render({
      name: 'Uma',
      presence: 'away',
      status: { emoji: '🎧', text: 'deep work' },
    });
    expect(byTestId('profile-card-name')?.textContent?.trim()).toBe('Uma');
    expect(byTestId('profile-card-presence')?.textContent).toContain('Away');
    expect(byTestId('profile-card-status')?.textContent).toContain('🎧');
    expect(byTestId('profile-card-status')?.textContent).toContain('deep work');
    expect(byTestId('profile-card-about')?.textContent?.trim()).toBe('Keeps the lights on');
    const tokyo = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: 'Asia/Tokyo' });
    expect(byTestId('profile-card-time')?.textContent).toContain(tokyo.format(Date.now()));
    expect(document.activeElement).toBe(byTestId('profile-card-message'));
    byTestId('profile-card-message')!.click();
    expect(messaged).toEqual(['u-uma']);
    expect(closed).toEqual(['message']);
  });

  it('closes on Escape and on a press outside, not on one inside', async () => {
    const { element, closed } = await render({ name: 'Uma', presence: 'active' });
    const card = element.querySelector('[role="dialog"]')!;
    card.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true }));
    expect(closed).toEqual([]);
    card.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).toEqual(['dismissed']);
    document.body.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true }));
    expect(closed).toEqual(['dismissed', 'dismissed']);
  });

  it('hides a status past its expiry, and offers Edit profile on your own card', async () => {
    const { byTestId } = await render(
      {
        name: 'Uma',
        presence: 'active',
        status: { text: 'gone', expiresAt: new Date(Date.now() - 1000).toISOString() },
      },
      'u-uma',
    );
    expect(byTestId('profile-card-status')).toBeNull();
    expect(byTestId('profile-card-message')).toBeNull();
    expect(byTestId('profile-card-edit')).not.toBeNull();
  });
});
