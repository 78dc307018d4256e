import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  type ElementRef,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import type { User } from '../../../contract';

/** The fewest people chosen besides the user: a group conversation holds 3-8 people in all. */
const FEWEST = 2;

/**
 * "New group": a modal dialog (the native `<dialog>`: Escape closes it, the focus stays inside) to
 * choose 2-7 people, as checkboxes a filter narrows, and start a conversation with them. It stays
 * open until the server has the conversation, which then opens; a refusal is shown in it with the
 * choice kept. A lazy chunk (sidebar.ts loads it on first use and gives it what it shows): it
 * imports nothing of the app's state, so the first download's chunks stay as they were.
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
          <legend>Choose {{ fewest }} to {{ most() }} people</legend>
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
          <button type="submit" data-testid="new-group-start" [disabled]="waiting()">Start group</button>
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
  /** Whom the user may choose. */
  readonly people = input.required<readonly User[]>();
  /** The most people besides the user (a group conversation's size, less one). */
  readonly most = input.required<number>();
  /** A conversation was asked for and the server has not answered. */
  readonly opening = input(false);
  /** The server's refusal of the last try, if any. */
  readonly error = input<string | null>(null);
  /** Start was pressed with enough people: their ids, in the order chosen. */
  readonly submitted = output<readonly string[]>();
  /** The dialog closed (Cancel, Escape, or the conversation opened). */
  readonly closed = output<void>();
  /** The conversation opened: the sidebar closes on narrow screens and the composer takes the focus. */
  readonly started = output<void>();

  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly filterBox = viewChild.required<ElementRef<HTMLInputElement>>('filterBox');

  protected readonly fewest = FEWEST;
  protected readonly filter = signal('');
  /** Chosen ids, in the order chosen, with the names as they were then. */
  protected readonly chosen = signal<ReadonlyMap<string, string>>(new Map());
  protected readonly full = computed(() => this.chosen().size >= this.most());
  /** Asked, and not answered yet. */
  protected readonly waiting = signal(false);
  protected readonly problem = signal<string | null>(null);
  /** The people, narrowed by the filter (the chosen stay listed). */
  protected readonly shown = computed(() => {
    const query = this.filter().trim().toLocaleLowerCase();
    const chosen = this.chosen();
    return this.people().filter((user) => chosen.has(user.id) || user.name.toLocaleLowerCase().includes(query));
  });
  protected readonly countText = computed(() => {
    const names = [...this.chosen().values()];
    if (names.length === 0) return 'Nobody chosen yet.';
    const most = this.full() ? ` That is the most: ${this.most()} people and you.` : '';
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
        if (!this.waiting() || opening) return;
        this.waiting.set(false);
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
    else if (chosen.size < this.most()) chosen.set(user.id, user.name);
    this.chosen.set(chosen);
    this.problem.set(null);
  }

  protected start(): void {
    const ids = [...this.chosen().keys()];
    if (ids.length < FEWEST) {
      this.problem.set(
        `Choose at least ${FEWEST} people: a group conversation is you and ${FEWEST} to ${this.most()} others.`,
      );
      return;
    }
    this.problem.set(null);
    this.waiting.set(true);
    this.submitted.emit(ids);
  }
}
