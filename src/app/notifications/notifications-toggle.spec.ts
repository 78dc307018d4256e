import { TestBed } from '@angular/core/testing';
import { MockStore, provideMockStore } from '@ngrx/store/testing';

import type { NotificationPermissionState } from './browser-notifications';
import { NotificationsButtonActions } from './notifications.actions';
import { notificationsFeature } from './notifications.feature';
import { NotificationsToggle } from './notifications-toggle';

async function render(permission: NotificationPermissionState = 'default') {
  TestBed.configureTestingModule({
    providers: [
      provideMockStore({ selectors: [{ selector: notificationsFeature.selectPermission, value: permission }] }),
    ],
  });
  const store = TestBed.inject(MockStore);
  const dispatched: unknown[] = [];
  store.scannedActions$.subscribe((action) => dispatched.push(action));
  const fixture = TestBed.createComponent(NotificationsToggle);
  await fixture.whenStable();
  const element: HTMLElement = fixture.nativeElement;
  const answer = async (value: NotificationPermissionState) => {
    store.overrideSelector(notificationsFeature.selectPermission, value);
    store.refreshState();
    await fixture.whenStable();
  };
  const button = () => element.querySelector<HTMLButtonElement>('[data-testid="notifications-on"]');
  const state = element.querySelector<HTMLElement>('[data-testid="notifications-state"]')!;
  return { element, dispatched, answer, button, state };
}

describe('the notifications toggle', () => {
  it('keeps the focus when the button goes: on the state text, a polite live region that says the answer', async () => {
    const { dispatched, answer, button, state } = await render();
    // The live region is there before the answer, so screen readers announce the change.
    expect(state.getAttribute('role')).toBe('status');
    expect(state.textContent?.trim()).toBe('');
    button()!.focus();
    button()!.click();
    expect(dispatched).toContainEqual(NotificationsButtonActions.turnOnClicked());
    await answer('granted');
    expect(button()).toBeNull();
    expect(state.textContent?.trim()).toBe('Notifications on');
    expect(document.activeElement).toBe(state);
    // Focusable from script only: not an extra tab stop.
    expect(state.tabIndex).toBe(-1);
  });

  it('leaves the focus where the user moved it meanwhile, and a dismissed prompt keeps the button', async () => {
    const { answer, button, state } = await render();
    button()!.click();
    await answer('default');
    expect(button()).not.toBeNull();
    const elsewhere = document.createElement('input');
    document.body.append(elsewhere);
    elsewhere.focus();
    await answer('denied');
    expect(state.textContent?.trim()).toBe('Notifications blocked');
    expect(document.activeElement).toBe(elsewhere);
    elsewhere.remove();
  });
});
