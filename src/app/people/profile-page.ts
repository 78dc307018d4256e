import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  inject,
  output,
  signal,
  viewChild,
} from '@angular/core';
import type { Observable } from 'rxjs';

import { MAX_ABOUT_LENGTH, MAX_NAME_LENGTH, MAX_STATUS_TEXT_LENGTH, type Profile } from '../../../contract';
import { Avatar } from './avatar';
import { AVATAR_SOURCE_TYPES, avatarSourceProblem, squareAvatar } from './avatar-image';
import { PROFILE_HOST } from './profile-opener';
import { STATUS_EXPIRIES, statusExpiresAt, type StatusExpiry } from './status-expiry';

/** The browser's own time zone: what a profile without one starts with. */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * "Profile": the signed-in person's name, "what I do" line, time zone, avatar (picked, cropped to
 * a square and resized here, then uploaded with a progress bar), status with an expiry, and away
 * by hand. A modal dialog, a lazy chunk (profile-popups.ts opens it). Each part saves apart and
 * shows the server's refusal in words.
 */
@Component({
  selector: 'hb-profile-page',
  imports: [Avatar],
  template: `
    <dialog
      #dialog
      class="profile"
      data-testid="profile-page"
      aria-labelledby="profile-heading"
      (close)="closed.emit()"
    >
      <h2 id="profile-heading">Your profile</h2>
      @if (loadError(); as problem) {
        <p class="error" role="alert">{{ problem }}</p>
      }
      <form (submit)="$event.preventDefault(); saveProfile()" aria-labelledby="profile-details-heading">
        <h3 id="profile-details-heading">Details</h3>
        <label for="profile-name">Display name</label>
        <input
          id="profile-name"
          data-testid="profile-name"
          autocomplete="nickname"
          required
          [maxLength]="maxName"
          [value]="name()"
          (input)="name.set(valueOf($event))"
        />
        <label for="profile-about">What I do</label>
        <input
          id="profile-about"
          data-testid="profile-about"
          [maxLength]="maxAbout"
          [value]="about()"
          (input)="about.set(valueOf($event))"
        />
        <label for="profile-time-zone">Time zone</label>
        <input
          id="profile-time-zone"
          data-testid="profile-time-zone"
          list="profile-time-zones"
          autocomplete="off"
          [value]="timeZone()"
          (input)="timeZone.set(valueOf($event))"
        />
        <datalist id="profile-time-zones">
          @for (zone of timeZones; track zone) {
            <option [value]="zone"></option>
          }
        </datalist>
        <div class="row">
          <button type="submit" data-testid="profile-save" [disabled]="busy() === 'profile'">Save</button>
          <span role="status" class="note">{{ notes()['profile'] }}</span>
        </div>
        @if (errors()['profile']; as problem) {
          <p class="error" role="alert" data-testid="profile-error">{{ problem }}</p>
        }
      </form>

      <section aria-labelledby="profile-avatar-heading">
        <h3 id="profile-avatar-heading">Avatar</h3>
        <div class="row">
          <hb-avatar [userId]="userId()" [name]="name() || '?'" [avatar]="avatar()" [size]="64" label="Your avatar" />
          <label class="button" for="profile-avatar-file">Choose image…</label>
          <input
            id="profile-avatar-file"
            class="visually-hidden"
            type="file"
            data-testid="profile-avatar-file"
            [accept]="sourceTypes"
            (change)="pickAvatar($event)"
          />
          @if (avatar()) {
            <button
              type="button"
              class="secondary"
              data-testid="profile-avatar-remove"
              [disabled]="busy() === 'avatar'"
              (click)="removeAvatar()"
            >
              Remove
            </button>
          }
        </div>
        @if (progress() !== null) {
          <progress
            data-testid="profile-avatar-progress"
            max="1"
            [value]="progress()"
            aria-label="Uploading avatar"
          ></progress>
        }
        <span role="status" class="note">{{ notes()['avatar'] }}</span>
        @if (errors()['avatar']; as problem) {
          <p class="error" role="alert" data-testid="profile-avatar-error">{{ problem }}</p>
        }
      </section>

      <form (submit)="$event.preventDefault(); setStatus()" aria-labelledby="profile-status-heading">
        <h3 id="profile-status-heading">Status</h3>
        <div class="row">
          <label for="profile-status-emoji" class="visually-hidden">Emoji</label>
          <input
            id="profile-status-emoji"
            class="emoji"
            data-testid="profile-status-emoji"
            placeholder="🙂"
            autocomplete="off"
            [value]="emoji()"
            (input)="emoji.set(valueOf($event))"
          />
          <label for="profile-status-text" class="visually-hidden">What you are up to</label>
          <input
            id="profile-status-text"
            data-testid="profile-status-text"
            placeholder="What are you up to?"
            [maxLength]="maxStatus"
            [value]="statusText()"
            (input)="statusText.set(valueOf($event))"
          />
        </div>
        <label for="profile-status-expiry">Clear after</label>
        <select
          id="profile-status-expiry"
          data-testid="profile-status-expiry"
          (change)="expiry.set($any(valueOf($event)))"
        >
          @for (choice of expiries; track choice.value) {
            <option [value]="choice.value" [selected]="choice.value === expiry()">{{ choice.label }}</option>
          }
        </select>
        <div class="row">
          <button type="submit" data-testid="profile-status-set" [disabled]="busy() === 'status'">Set status</button>
          <button
            type="button"
            class="secondary"
            data-testid="profile-status-clear"
            [disabled]="busy() === 'status'"
            (click)="clearStatus()"
          >
            Clear status
          </button>
          <span role="status" class="note">{{ notes()['status'] }}</span>
        </div>
        @if (errors()['status']; as problem) {
          <p class="error" role="alert" data-testid="profile-status-error">{{ problem }}</p>
        }
      </form>

      <section aria-labelledby="profile-presence-heading">
        <h3 id="profile-presence-heading">Presence</h3>
        <label class="check">
          <input
            type="checkbox"
            data-testid="profile-away"
            [checked]="awayByHand()"
            (change)="setAway($any($event.target).checked)"
          />
          Show me as away
        </label>
      </section>

      <div class="buttons">
        <button type="button" data-testid="profile-close" (click)="dialog.close()">Close</button>
      </div>
    </dialog>
  `,
  styles: `
    dialog {
      width: min(28rem, calc(100vw - 2rem));
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
    h2 {
      margin: 0 0 0.5rem;
      font-size: 1.15rem;
    }
    h3 {
      margin: 0.75rem 0 0.25rem;
      font-size: 0.95rem;
    }
    form,
    section {
      display: flex;
      flex-direction: column;
      gap: 0.35rem;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    .row input:not(.emoji) {
      flex: 1;
    }
    .emoji {
      width: 3.5rem;
      text-align: center;
    }
    progress {
      width: 100%;
    }
    .note {
      color: var(--muted);
      font-size: 0.85rem;
    }
    .check {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
    .buttons {
      display: flex;
      justify-content: flex-end;
      margin-top: 1rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfilePage {
  private readonly app = inject(PROFILE_HOST);
  private readonly destroyRef = inject(DestroyRef);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  readonly closed = output<void>();

  protected readonly maxName = MAX_NAME_LENGTH;
  protected readonly maxAbout = MAX_ABOUT_LENGTH;
  protected readonly maxStatus = MAX_STATUS_TEXT_LENGTH;
  protected readonly sourceTypes = AVATAR_SOURCE_TYPES.join(',');
  protected readonly expiries = STATUS_EXPIRIES;
  protected readonly timeZones = supportedTimeZones();

  protected readonly userId = signal('');
  protected readonly name = signal('');
  protected readonly about = signal('');
  protected readonly timeZone = signal(browserTimeZone());
  protected readonly avatar = signal<string | undefined>(undefined);
  protected readonly emoji = signal('');
  protected readonly statusText = signal('');
  protected readonly expiry = signal<StatusExpiry>('1h');
  protected readonly progress = signal<number | null>(null);
  protected readonly busy = signal<'profile' | 'avatar' | 'status' | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly errors = signal<Readonly<Record<string, string>>>({});
  protected readonly notes = signal<Readonly<Record<string, string>>>({});
  protected readonly awayByHand = this.app.awayByHand;

  constructor() {
    afterNextRender(() => {
      this.dialog().nativeElement.showModal();
      const subscription = this.app.own().subscribe({
        next: (profile) => this.fill(profile),
        error: (error: Error) => this.loadError.set(error.message),
      });
      this.destroyRef.onDestroy(() => subscription.unsubscribe());
    });
  }

  private fill(profile: Profile): void {
    this.userId.set(profile.id);
    this.name.set(profile.name);
    this.about.set(profile.about ?? '');
    this.timeZone.set(profile.timeZone ?? browserTimeZone());
    this.avatar.set(profile.avatar);
    this.emoji.set(profile.status?.emoji ?? '');
    this.statusText.set(profile.status?.text ?? '');
  }

  protected valueOf(event: Event): string {
    return (event.target as HTMLInputElement | HTMLSelectElement).value;
  }

  protected saveProfile(): void {
    this.run(
      'profile',
      this.app.update({ name: this.name(), about: this.about(), timeZone: this.timeZone() }),
      'Saved.',
    );
  }

  protected setStatus(): void {
    const emoji = this.emoji().trim();
    const expiresAt = statusExpiresAt(this.expiry(), new Date());
    this.run(
      'status',
      this.app.setStatus({ text: this.statusText(), ...(emoji ? { emoji } : {}), ...(expiresAt ? { expiresAt } : {}) }),
      'Status set.',
    );
  }

  protected clearStatus(): void {
    this.run('status', this.app.clearStatus(), 'Status cleared.', () => {
      this.emoji.set('');
      this.statusText.set('');
    });
  }

  protected removeAvatar(): void {
    this.run('avatar', this.app.removeAvatar(), 'Avatar removed.');
  }

  protected async pickAvatar(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const problem = avatarSourceProblem(file);
    if (problem) return this.fail('avatar', problem);
    this.busy.set('avatar');
    this.errors.set({});
    let image: Awaited<ReturnType<typeof squareAvatar>>;
    try {
      image = await squareAvatar(file);
    } catch (error) {
      this.busy.set(null);
      return this.fail('avatar', (error as Error).message);
    }
    const { blob, type } = image;
    this.progress.set(0);
    this.run(
      'avatar',
      this.app.uploadAvatar(blob, type, (sent) => this.progress.set(sent)),
      'Avatar updated.',
      () => this.progress.set(null),
      () => this.progress.set(null),
    );
  }

  protected setAway(away: boolean): void {
    this.app.setAwayByHand(away);
  }

  /** Sends one change; the host puts the new profile in the store, so every list shows it at once. */
  private run(
    part: 'profile' | 'avatar' | 'status',
    request$: Observable<Profile>,
    done: string,
    after?: () => void,
    failed?: () => void,
  ): void {
    this.busy.set(part);
    this.errors.set({});
    this.notes.set({});
    const subscription = request$.subscribe({
      next: (profile) => {
        this.userId.set(profile.id);
        this.name.set(profile.name);
        this.avatar.set(profile.avatar);
      },
      error: (error: Error) => {
        this.busy.set(null);
        failed?.();
        this.fail(part, error.message);
      },
      complete: () => {
        this.busy.set(null);
        this.notes.set({ [part]: done });
        after?.();
      },
    });
    this.destroyRef.onDestroy(() => subscription.unsubscribe());
  }

  private fail(part: string, message: string): void {
    this.errors.set({ [part]: message });
  }
}

function supportedTimeZones(): readonly string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [browserTimeZone()];
  }
}
