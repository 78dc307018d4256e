import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';

import type { User, UserRef } from '../../../contract';
import { Avatar } from './avatar';
import { PresenceDot } from './presence-dot';
import { PROFILE_HOST } from './profile-opener';
import { presenceOf } from './users.feature';

/**
 * Everyone else, with their avatar, status emoji and presence (a name opens their card), and buttons to message them directly or block them (no DMs or
 * mentions from them: docs/security.md, Blocking); blocked people show Unblock instead. "New group"
 * asks for a group conversation (the sidebar opens its dialog).
 */
@Component({
  selector: 'hb-user-list',
  imports: [Avatar, PresenceDot],
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
        <li
          data-testid="user"
          [attr.data-user-id]="user.id"
          [attr.data-online]="user.online"
          [attr.data-presence]="presenceOf(user)"
        >
          <hb-avatar [userId]="user.id" [name]="user.name" [avatar]="user.avatar" />
          <button
            #nameButton
            type="button"
            class="name"
            data-testid="user-name"
            aria-haspopup="dialog"
            (click)="profiles?.showCard(user.id, nameButton)"
          >
            <bdi>{{ user.name }}</bdi>
            @if (user.status; as status) {
              <span class="status" data-testid="user-status" [title]="status.text"
                >{{ status.emoji }}<span class="visually-hidden">, {{ status.text }}</span></span
              >
            }
          </button>
          <hb-presence-dot [state]="presenceOf(user)" />
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
    button.name {
      display: flex;
      gap: 0.3rem;
      padding: 0;
      border: 0;
      background: none;
      color: inherit;
      font: inherit;
      text-align: start;
      cursor: pointer;
    }
    button.name:hover bdi {
      text-decoration: underline;
    }
    button.name bdi {
      overflow: hidden;
      text-overflow: ellipsis;
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

  protected readonly profiles = inject(PROFILE_HOST, { optional: true });
  protected readonly presenceOf = presenceOf;

  protected readonly blocked = computed(() => new Set(this.blockedUsers().map((user) => user.id)));
  protected readonly hiddenBlocked = computed(() => {
    const listed = new Set(this.users().map((user) => user.id));
    return this.blockedUsers().filter((user) => !listed.has(user.id));
  });
}
