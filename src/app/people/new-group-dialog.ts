import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  type ElementRef,
  inject,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { MAX_GROUP_DM_PEOPLE, type User } from '../../../contract';
import { roomsFeature } from '../rooms/rooms.feature';
import { blocksFeature } from './blocks.feature';
import { PeopleListActions } from './people.actions';
import { usersFeature } from './users.feature';

/** The people chosen besides the user: a group conversation holds 3-8 people in all. */
const FEWEST = 2;
const MOST = MAX_GROUP_DM_PEOPLE - 1;

/**
 * "New group": a modal dialog (the native `<dialog>`: Escape closes it, the focus stays inside) to
 * choose 2-7 people, as checkboxes a filter narrows, and start a conversation with them. It stays
 * open until the server has the conversation, which then opens; a refusal is shown in it with the
 * choice kept. A lazy chunk (sidebar.ts loads it on first use).
 */
@Component({
  selector: 'hb-new-group-dialog',
  template: `
    <dialog
      #dialog
      class="new-group"
      data-testid="new-group-dialog"
      aria-labelledby="new-group-heading"
      (close)="closed.emit()"
    >
      <form (submit)="$event.preventDefault(); start()">
        <h2 id="new-group-heading">New group conversation</h2>
        <label for="new-group-filter">Find people</label>
        <input
          #filterBox
          id="new-group-filter"
          type="search"
          autocomplete="off"
          data-testid="new-group-filter"
          placeholder="Name"
          [value]="filter()"
          (input)="filter.set($any($event.target).value)"
        />
        <fieldset>
          <legend>Choose {{ fewest }} to {{ most }} people</legend>
          <ul>
            @for (user of shown(); track user.id) {
              <li>
                <label>
                  <input
                    type="checkbox"
                    data-testid="new-group-person"
                    [attr.data-user-id]="user.id"
                    [checked]="chosen().has(user.id)"
                    [disabled]="full() && !chosen().has(user.id)"
                    (change)="toggle(user)"
                  />
                  <span class="dot" [class.online]="user.online" aria-hidden="true"></span>
                  <bdi class="name">{{ user.name }}</bdi>
                  <span class="visually-hidden">{{ user.online ? ' (online)' : ' (offline)' }}</span>
                </label>
              </li>
            } @empty {
              <li class="empty">Nobody by that name.</li>
            }
          </ul>
        </fieldset>
        <p class="count" role="status" data-testid="new-group-count">{{ countText() }}</p>
        @if (problem(); as problem) {
          <p class="error" role="alert" data-testid="new-group-error">{{ problem }}</p>
        }
        <div class="buttons">
          <button type="button" (click)="dialog.close()">Cancel</button>
          <button type="submit" data-testid="new-group-start" [disabled]="submitted()">Start group</button>
        </div>
      </form>
    </dialog>
  `,
  styles: `
    dialog {
      width: min(24rem, calc(100vw - 2rem));
      max-height: calc(100dvh - 2rem);
      padding: 1rem;
      border: 1px solid var(--border);
      border-radius: 0.5rem;
      background: var(--surface);
      color: var(--text);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.4);
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
    }
    h2 {
      margin: 0;
      font-size: 1.1rem;
    }
    fieldset {
      margin: 0;
      padding: 0.25rem 0.5rem;
      border: 1px solid var(--border);
      border-radius: 0.25rem;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: 16rem;
      overflow-y: auto;
    }
    label {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: 0.2rem 0;
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
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .count,
    .empty {
      margin: 0;
      color: var(--muted);
      font-size: 0.85rem;
    }
    .error {
      margin: 0;
      font-size: 0.85rem;
    }
    .buttons {
      display: flex;
      justify-content: flex-end;
      gap: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewGroupDialog {
  private readonly store = inject(Store);
  /** The dialog closed (Cancel, Escape, or the conversation opened). */
  readonly closed = output<void>();
  /** The conversation opened: the sidebar closes on narrow screens and the composer takes the focus. */
  readonly started = output<void>();

  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly filterBox = viewChild.required<ElementRef<HTMLInputElement>>('filterBox');
  private readonly users = this.store.selectSignal(usersFeature.selectOtherUsers);
  private readonly blocked = this.store.selectSignal(blocksFeature.selectUsers);
  private readonly opening = this.store.selectSignal(roomsFeature.selectOpeningDirectMessage);
  private readonly error = this.store.selectSignal(roomsFeature.selectError);

  protected readonly fewest = FEWEST;
  protected readonly most = MOST;
  protected readonly filter = signal('');
  /** Chosen ids, in the order chosen, with the names as they were then. */
  protected readonly chosen = signal<ReadonlyMap<string, string>>(new Map());
  protected readonly full = computed(() => this.chosen().size >= MOST);
  protected readonly submitted = signal(false);
  protected readonly problem = signal<string | null>(null);
  /** Everyone but the people the user blocked, narrowed by the filter (the chosen stay listed). */
  protected readonly shown = computed(() => {
    const blocked = new Set(this.blocked().map((user) => user.id));
    const query = this.filter().trim().toLocaleLowerCase();
    const chosen = this.chosen();
    return this.users().filter(
      (user) => !blocked.has(user.id) && (chosen.has(user.id) || user.name.toLocaleLowerCase().includes(query)),
    );
  });
  protected readonly countText = computed(() => {
    const names = [...this.chosen().values()];
    if (names.length === 0) return 'Nobody chosen yet.';
    const most = names.length >= MOST ? ` That is the most: ${MOST} people and you.` : '';
    return `${names.length} chosen: ${names.join(', ')}.${most}`;
  });

  constructor() {
    afterNextRender(() => {
      this.dialog().nativeElement.showModal();
      this.filterBox().nativeElement.focus();
    });
    // The answer to a start: the conversation opened (the dialog closes) or the server said no.
    effect(() => {
      const opening = this.opening();
      const error = this.error();
      untracked(() => {
        if (!this.submitted() || opening) return;
        this.submitted.set(false);
        if (error !== null) {
          this.problem.set(error);
          return;
        }
        this.dialog().nativeElement.close();
        this.started.emit();
      });
    });
  }

  protected toggle(user: User): void {
    const chosen = new Map(this.chosen());
    if (chosen.has(user.id)) chosen.delete(user.id);
    else if (chosen.size < MOST) chosen.set(user.id, user.name);
    this.chosen.set(chosen);
    this.problem.set(null);
  }

  protected start(): void {
    const ids = [...this.chosen().keys()];
    if (ids.length < FEWEST) {
      this.problem.set(
        `Choose at least ${FEWEST} people: a group conversation is you and ${FEWEST} to ${MOST} others.`,
      );
      return;
    }
    this.problem.set(null);
    this.submitted.set(true);
    this.store.dispatch(PeopleListActions.groupSubmitted({ userIds: ids }));
  }
}
