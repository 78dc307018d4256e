import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';

import type { User, UserRef } from '../../../contract';

/**
 * Everyone else, with a presence dot and buttons to message them directly or block them (no DMs or
 * mentions from them: docs/security.md, Blocking); blocked people show Unblock instead. "New group"
 * asks for a group conversation (the sidebar opens its dialog).
 */
@Component({
  selector: 'hb-user-list',
  template: `
    <div class="head">
      <h2 id="people-heading">People</h2>
      @if (users().length >= 2) {
        <button type="button" class="dm" data-testid="new-group" aria-haspopup="dialog" (click)="newGroup.emit()">
          New group
        </button>
      }
    </div>
    <ul data-testid="user-list" aria-labelledby="people-heading">
      @for (user of users(); track user.id) {
        <li data-testid="user" [attr.data-user-id]="user.id" [attr.data-online]="user.online">
          <span class="dot" [class.online]="user.online" aria-hidden="true"></span>
          <bdi class="name">{{ user.name }}</bdi>
          <span class="visually-hidden">{{ user.online ? 'online' : 'offline' }}</span>
          @if (blocked().has(user.id)) {
            <span class="blocked">Blocked</span>
            <button
              type="button"
              class="dm"
              data-testid="unblock"
              [attr.aria-label]="'Unblock ' + user.name"
              (click)="unblockUser.emit({ id: user.id, name: user.name })"
            >
              Unblock
            </button>
          } @else {
            <button
              type="button"
              class="dm"
              data-testid="start-dm"
              [attr.aria-label]="'Message ' + user.name"
              (click)="startDirectMessage.emit(user.id)"
            >
              Message
            </button>
            <button
              type="button"
              class="dm"
              data-testid="block"
              [attr.aria-label]="'Block ' + user.name"
              title="No direct messages or mentions from them"
              (click)="blockUser.emit({ id: user.id, name: user.name })"
            >
              Block
            </button>
          }
        </li>
      } @empty {
        <li class="empty">Nobody else yet.</li>
      }
    </ul>
    @if (hiddenBlocked().length > 0) {
      <details data-testid="blocked-people">
        <summary>Blocked people ({{ hiddenBlocked().length }})</summary>
        <ul aria-label="Blocked people">
          @for (user of hiddenBlocked(); track user.id) {
            <li>
              <bdi class="name">{{ user.name }}</bdi>
              <button
                type="button"
                class="dm"
                data-testid="unblock"
                [attr.aria-label]="'Unblock ' + user.name"
                (click)="unblockUser.emit(user)"
              >
                Unblock
              </button>
            </li>
          }
        </ul>
      </details>
    }
    @if (blockError()) {
      <p class="error" role="alert">{{ blockError() }}</p>
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 0 0.5rem 0.5rem;
    }
    .head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding-right: 0.5rem;
    }
    h2 {
      margin: 0.75rem 0.5rem 0.25rem;
      font-size: 0.75rem;
      text-transform: uppercase;
      letter-spacing: 0.05em;
      color: var(--muted);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: 0.25rem 0.5rem;
    }
    .dot {
      width: 0.6em;
      height: 0.6em;
      border-radius: 50%;
      border: 1px solid var(--muted);
    }
    .dot.online {
      background: var(--online);
      border-color: var(--online);
    }
    .name {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .dm {
      padding: 0.15rem 0.5rem;
      font-size: 0.75rem;
    }
    .empty,
    .blocked,
    summary {
      color: var(--muted);
      font-size: 0.85rem;
    }
    summary {
      padding: 0.25rem 0.5rem;
      cursor: pointer;
    }
    .error {
      margin: 0.25rem 0.5rem;
      font-size: 0.85rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserList {
  readonly users = input.required<readonly User[]>();
  /** People the user blocked: shown with Unblock; those not in `users` are listed under "Blocked people". */
  readonly blockedUsers = input<readonly UserRef[]>([]);
  readonly blockError = input<string | null>(null);
  readonly startDirectMessage = output<string>();
  readonly blockUser = output<UserRef>();
  readonly unblockUser = output<UserRef>();
  readonly newGroup = output<void>();

  protected readonly blocked = computed(() => new Set(this.blockedUsers().map((user) => user.id)));
  protected readonly hiddenBlocked = computed(() => {
    const listed = new Set(this.users().map((user) => user.id));
    return this.blockedUsers().filter((user) => !listed.has(user.id));
  });
}
