import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import type { User } from '../../../contract';

/** Everyone else, with a presence dot and a button to message them directly. */
@Component({
  selector: 'hb-user-list',
  template: `
    <h2 id="people-heading">People</h2>
    <ul data-testid="user-list" aria-labelledby="people-heading">
      @for (user of users(); track user.id) {
        <li data-testid="user" [attr.data-user-id]="user.id" [attr.data-online]="user.online">
          <span class="dot" [class.online]="user.online" aria-hidden="true"></span>
          <bdi class="name">{{ user.name }}</bdi>
          <span class="visually-hidden">{{ user.online ? 'online' : 'offline' }}</span>
          <button
            type="button"
            class="dm"
            data-testid="start-dm"
            [attr.aria-label]="'Message ' + user.name"
            (click)="startDirectMessage.emit(user.id)"
          >
            Message
          </button>
        </li>
      } @empty {
        <li class="empty">Nobody else yet.</li>
      }
    </ul>
  `,
  styles: `
    :host {
      display: block;
      padding: 0 0.5rem 0.5rem;
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
    .empty {
      color: var(--muted);
      font-size: 0.85rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserList {
  readonly users = input.required<readonly User[]>();
  readonly startDirectMessage = output<string>();
}
