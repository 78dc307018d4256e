import { TestBed } from '@angular/core/testing';
import { Subject, throwError } from 'rxjs';
import { of } from 'rxjs';

import type { User, UserRef } from '../../../contract';
import { ApiError } from '../core/api-client';
import { changeBlock } from './blocks.effects';
import { blocksFeature, selectBlockedIds } from './blocks.feature';
import type { BlocksApi } from './blocks-api';
import { BlocksApiActions, PeopleListActions } from './people.actions';
import { UserList } from './user-list';

const ann: UserRef = { id: 'u-ann', name: 'Ann' };
const ben: UserRef = { id: 'u-ben', name: 'Ben' };

describe('blocks reducer', () => {
  it('shows a block or unblock at once and puts it back when the server refuses', () => {
    const reduce = blocksFeature.reducer;
    let s = reduce(undefined, BlocksApiActions.blocksLoaded({ users: [ann] }));
    s = reduce(s, PeopleListActions.blockClicked({ user: ben }));
    expect(s.users).toEqual([ben, ann]);
    s = reduce(s, BlocksApiActions.blockFailed({ user: ben, error: 'You can block at most 1000 people' }));
    expect(s).toEqual({ users: [ann], error: 'You can block at most 1000 people' });
    s = reduce(s, PeopleListActions.unblockClicked({ user: ann }));
    expect(s).toEqual({ users: [], error: null });
    s = reduce(s, BlocksApiActions.unblockFailed({ user: ann, error: 'busy' }));
    expect(s.users).toEqual([ann]);
    expect(selectBlockedIds.projector(s)).toEqual(new Set(['u-ann']));
    expect(selectBlockedIds.projector(undefined)).toEqual(new Set());
  });
});

describe('changeBlock', () => {
  it('sends each change (none cancelled) and answers only a refusal', () => {
    const calls: string[] = [];
    const api = {
      block: (id: string) => {
        calls.push(`PUT ${id}`);
        return id === ben.id ? throwError(() => new ApiError(409, 'conflict', 'full')) : of(null);
      },
      unblock: (id: string) => {
        calls.push(`DELETE ${id}`);
        return of(null);
      },
    } as unknown as BlocksApi;
    const actions$ = new Subject<never>();
    const out: unknown[] = [];
    changeBlock(actions$, api).subscribe((a) => out.push(a));
    actions$.next(PeopleListActions.blockClicked({ user: ann }) as never);
    actions$.next(PeopleListActions.blockClicked({ user: ben }) as never);
    actions$.next(PeopleListActions.unblockClicked({ user: ann }) as never);
    expect(calls).toEqual(['PUT u-ann', 'PUT u-ben', 'DELETE u-ann']);
    expect(out).toEqual([BlocksApiActions.blockFailed({ user: ben, error: 'full' })]);
  });
});

describe('UserList blocking', () => {
  async function render(users: readonly User[], blockedUsers: readonly UserRef[]) {
    const fixture = TestBed.createComponent(UserList);
    fixture.componentRef.setInput('users', users);
    fixture.componentRef.setInput('blockedUsers', blockedUsers);
    const blocked: UserRef[] = [];
    const unblocked: UserRef[] = [];
    fixture.componentInstance.blockUser.subscribe((user) => blocked.push(user));
    fixture.componentInstance.unblockUser.subscribe((user) => unblocked.push(user));
    await fixture.whenStable();
    return { element: fixture.nativeElement as HTMLElement, blocked, unblocked };
  }

  it('offers Block beside Message, and Unblock (no Message) for someone blocked', async () => {
    const { element, blocked, unblocked } = await render(
      [
        { ...ann, online: true },
        { ...ben, online: false },
      ],
      [ben],
    );
    const [annRow, benRow] = [...element.querySelectorAll<HTMLElement>('[data-testid="user"]')];
    // Beside the name (which opens the card): Message and Block.
    expect([...annRow.querySelectorAll('button.dm')].map((b) => b.getAttribute('aria-label'))).toEqual([
      'Message Ann',
      'Block Ann',
    ]);
    expect([...benRow.querySelectorAll('button.dm')].map((b) => b.getAttribute('aria-label'))).toEqual(['Unblock Ben']);
    expect(benRow.textContent).toContain('Blocked');
    annRow.querySelector<HTMLButtonElement>('[data-testid="block"]')!.click();
    benRow.querySelector<HTMLButtonElement>('[data-testid="unblock"]')!.click();
    expect(blocked).toEqual([ann]);
    expect(unblocked).toEqual([ben]);
    expect(element.querySelector('[data-testid="blocked-people"]')).toBeNull();
  });

  it('lists blocked people the people list does not show, to unblock them', async () => {
    const cat = { id: 'u-cat', name: 'Cat' };
    const { element, unblocked } = await render([{ ...ann, online: true }], [cat]);
    const list = element.querySelector<HTMLElement>('[data-testid="blocked-people"]')!;
    expect(list.querySelector('summary')!.textContent).toContain('Blocked people (1)');
    list.querySelector<HTMLButtonElement>('[aria-label="Unblock Cat"]')!.click();
    expect(unblocked).toEqual([cat]);
  });
});
