import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { Store } from '@ngrx/store';
import { catchError, EMPTY, Subject, switchMap, tap } from 'rxjs';

import type { SearchResult, TextRange } from '../../../contract';
import { messagePath } from '../addresses/addresses';
import { sessionFeature } from '../auth/session.feature';
import { apiErrorOf } from '../core/api-client';
import { LOCAL_STORAGE } from '../core/local-storage';
import { readRecentSearches, rememberSearch } from './recent-searches';
import { SearchApi } from './search-api';

/** A piece of a result's text, marked when it matched. */
export interface Piece {
  readonly text: string;
  readonly marked: boolean;
}

/** The text cut at the highlights (ranges in text order, as the server sends them). */
export function piecesOf(text: string, highlights: readonly TextRange[]): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const { start, end } of highlights) {
    if (start < at || end > text.length || end <= start) continue;
    if (start > at) pieces.push({ text: text.slice(at, start), marked: false });
    pieces.push({ text: text.slice(start, end), marked: true });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), marked: false });
  return pieces;
}

type Option =
  | { readonly kind: 'recent'; readonly q: string }
  | { readonly kind: 'result'; readonly result: SearchResult; readonly pieces: Piece[] };

/**
 * The search panel (Ctrl/⌘+Shift+F or the top bar's Search): a dialog with a combobox whose list
 * holds the results (sender, room, time, the matched words marked), or the person's recent
 * searches while the box is empty. ↑/↓ move, Enter opens a result at its address (the message
 * highlighted in its room) or runs a recent search, Escape closes.
 */
@Component({
  selector: 'hb-search-panel',
  template: `
    <dialog #dialog class="panel" aria-labelledby="search-title" data-testid="search-panel" (close)="closed()">
      <h2 id="search-title" class="title">Search messages</h2>
      <input
        #box
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-controls="search-options"
        aria-label="Search messages"
        aria-describedby="search-help"
        autocomplete="off"
        spellcheck="false"
        placeholder='Words, "a phrase", from:name, in:room, has:file, before:2026-12-31'
        data-testid="search-input"
        [attr.aria-expanded]="options().length > 0"
        [attr.aria-activedescendant]="options().length > 0 ? 'search-option-' + active() : null"
        [value]="query()"
        (input)="typed($event)"
        (keydown)="navigate($event)"
      />
      <p id="search-help" class="help">↑ ↓ to move, Enter to open, Escape to close</p>
      <ul
        id="search-options"
        role="listbox"
        [attr.aria-label]="query() ? 'Results' : 'Recent searches'"
        [hidden]="options().length === 0"
      >
        @for (option of options(); track $index; let i = $index) {
          <!-- The keyboard works in the text box (the combobox): options are never focused, as the ARIA pattern says. -->
          <!-- eslint-disable-next-line @angular-eslint/template/click-events-have-key-events, @angular-eslint/template/interactive-supports-focus -->
          <li
            role="option"
            [id]="'search-option-' + i"
            [attr.aria-selected]="i === active()"
            [attr.data-testid]="option.kind === 'result' ? 'search-result' : 'search-recent'"
            (mousedown)="$event.preventDefault()"
            (click)="choose(i)"
          >
            @if (option.kind === 'recent') {
              <span class="recent"
                >Recent: <bdi>{{ option.q }}</bdi></span
              >
            } @else {
              <span class="meta">
                <bdi class="sender">{{ option.result.message.sender.name }}</bdi>
                <span class="room">in {{ roomLabel(option.result.message.room) }}</span>
                <time [attr.datetime]="option.result.message.sentAt">{{ timeOf(option.result.message.sentAt) }}</time>
              </span>
              <span class="text" dir="auto">
                @for (piece of option.pieces; track $index) {
                  @if (piece.marked) {
                    <mark>{{ piece.text }}</mark>
                  } @else {
                    {{ piece.text }}
                  }
                }
              </span>
            }
          </li>
        }
      </ul>
      <p class="status" role="status" data-testid="search-status">{{ status() }}</p>
      @if (cursor()) {
        <button type="button" class="more" data-testid="search-more" (click)="more()">More results</button>
      }
    </dialog>
  `,
  styles: `
    .panel {
      width: min(40rem, calc(100vw - 1rem));
      max-height: calc(100dvh - 2rem);
      margin: 8vh auto auto;
      padding: 0.75rem;
      color: var(--text);
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 10px;
      box-shadow: 0 8px 24px rgb(0 0 0 / 30%);
    }
    .panel::backdrop {
      background: rgb(0 0 0 / 35%);
    }
    .title {
      margin: 0 0 0.5rem;
      font-size: 0.9rem;
    }
    input {
      width: 100%;
      min-height: 44px;
      padding: 0.5rem 0.6rem;
      font: inherit;
      color: inherit;
      background: var(--bg);
      border: 1px solid var(--border);
      border-radius: 6px;
    }
    .help,
    .status {
      margin: 0.4rem 0 0;
      font-size: 0.85rem;
      color: var(--muted);
    }
    ul {
      list-style: none;
      margin: 0.5rem 0 0;
      padding: 0;
      max-height: 55dvh;
      overflow-y: auto;
    }
    li {
      display: flex;
      flex-direction: column;
      gap: 0.15rem;
      min-height: 44px;
      padding: 0.4rem 0.6rem;
      border-radius: 6px;
      cursor: pointer;
    }
    li[aria-selected='true'] {
      background: var(--own);
      outline: 2px solid var(--accent);
      outline-offset: -2px;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      font-size: 0.85rem;
      color: var(--muted);
    }
    .sender {
      font-weight: 600;
      color: var(--text);
    }
    .text {
      overflow-wrap: anywhere;
      white-space: pre-wrap;
    }
    mark {
      color: inherit;
      background: var(--mention, #fde68a);
      font-weight: 600;
    }
    .more {
      margin-top: 0.5rem;
      min-height: 44px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SearchPanel {
  private readonly api = inject(SearchApi);
  private readonly router = inject(Router);
  private readonly storage = inject(LOCAL_STORAGE);
  private readonly injector = inject(Injector);
  private readonly user = inject(Store).selectSignal(sessionFeature.selectUser);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly box = viewChild.required<ElementRef<HTMLInputElement>>('box');

  protected readonly query = signal('');
  protected readonly active = signal(0);
  protected readonly results = signal<readonly SearchResult[]>([]);
  protected readonly cursor = signal<string | undefined>(undefined);
  protected readonly status = signal('');
  private readonly recent = signal<readonly string[]>([]);
  protected readonly options = computed<Option[]>(() =>
    this.query().trim()
      ? this.results().map((result) => ({
          kind: 'result' as const,
          result,
          pieces: piecesOf(result.message.text, result.highlights),
        }))
      : this.recent().map((q) => ({ kind: 'recent' as const, q })),
  );
  private readonly searches = new Subject<{ q: string; cursor?: string }>();
  /** The query whose results are shown. */
  private readonly searched = signal('');
  private returnTo: HTMLElement | null = null;

  constructor() {
    this.searches
      .pipe(
        // Latest wins: a newer query replaces the one in flight.
        switchMap(({ q, cursor }) =>
          this.api.search(q, cursor).pipe(
            tap((page) => {
              this.searched.set(q);
              this.results.update((shown) => (cursor ? [...shown, ...page.results] : page.results));
              this.cursor.set(page.cursor);
              const count = this.results().length;
              this.status.set(
                count === 0 && !page.cursor
                  ? 'No messages match'
                  : `${count} message${count === 1 ? '' : 's'}${page.cursor ? ', more below' : ''}`,
              );
              if (!cursor) this.remember(q);
            }),
            catchError((error: unknown) => {
              this.results.set([]);
              this.cursor.set(undefined);
              this.status.set(apiErrorOf(error).message);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe();
  }

  open(): void {
    const dialog = this.dialog().nativeElement;
    if (dialog.open) return;
    this.returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const user = this.user();
    this.recent.set(user ? readRecentSearches(this.storage, user.id) : []);
    this.active.set(0);
    dialog.showModal();
    this.box().nativeElement.focus();
    this.box().nativeElement.select();
  }

  protected typed(event: Event): void {
    const q = (event.target as HTMLInputElement).value;
    this.query.set(q);
    this.active.set(0);
    this.pending?.();
    if (!q.trim()) {
      this.results.set([]);
      this.cursor.set(undefined);
      this.searched.set('');
      this.status.set('');
      return;
    }
    // A pause in typing searches; Enter searches at once.
    const timer = setTimeout(() => this.run(q), 300);
    this.pending = () => clearTimeout(timer);
  }

  private pending: (() => void) | undefined;

  protected navigate(event: KeyboardEvent): void {
    const count = this.options().length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count > 0) this.active.update((i) => (i + (event.key === 'ArrowDown' ? 1 : -1) + count) % count);
      this.scrollActiveIntoView();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = this.options()[this.active()];
      const shown = this.query().trim() === this.searched();
      if (option?.kind === 'result' && shown) this.choose(this.active());
      else if (this.query().trim()) this.run(this.query());
      else if (option) this.choose(this.active());
    }
  }

  protected choose(index: number): void {
    const option = this.options()[index];
    if (!option) return;
    if (option.kind === 'recent') {
      this.query.set(option.q);
      this.box().nativeElement.value = option.q;
      this.run(option.q);
      return;
    }
    const { room, id } = option.result.message;
    this.returnTo = null;
    this.dialog().nativeElement.close();
    void this.router.navigateByUrl(messagePath(room, id));
  }

  protected more(): void {
    const cursor = this.cursor();
    if (cursor) this.searches.next({ q: this.searched(), cursor });
  }

  protected roomLabel(room: string): string {
    return room.startsWith('dm-') ? 'a direct message' : `#${room}`;
  }

  protected timeOf(iso: string): string {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  protected closed(): void {
    this.pending?.();
    const back = this.returnTo;
    this.returnTo = null;
    if (back?.isConnected) back.focus();
  }

  private run(q: string): void {
    this.pending?.();
    this.status.set('Searching…');
    this.active.set(0);
    this.searches.next({ q: q.trim() });
  }

  private remember(q: string): void {
    const user = this.user();
    if (user) this.recent.set(rememberSearch(this.storage, user.id, q));
  }

  private scrollActiveIntoView(): void {
    afterNextRender(
      () => this.dialog().nativeElement.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' }),
      { injector: this.injector },
    );
  }
}
