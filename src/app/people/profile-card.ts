import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  input,
  output,
  signal,
} from '@angular/core';

import type { Profile } from '../../../contract';
import { AnchoredTo } from '../popover/place-popover';
import { Avatar } from './avatar';
import { PRESENCE_TEXT, PresenceDot } from './presence-dot';
import { PROFILE_HOST } from './profile-opener';

/**
 * A person's card, opened by clicking their name: avatar, name, status, "what I do", their local
 * time, presence, and "Message" (their direct message). A popover beside the name (placePopover):
 * the focus moves into it; Escape, Close or a click outside close it and the focus goes back to
 * the name. Live: a rename, a new avatar or status, or a change of presence shows at once. A lazy
 * chunk (profile-popups.ts opens it).
 */
@Component({
  selector: 'hb-profile-card',
  imports: [AnchoredTo, Avatar, PresenceDot],
  template: `
    <section
      #card
      class="card"
      role="dialog"
      aria-labelledby="profile-card-name"
      data-testid="profile-card"
      tabindex="-1"
      [hbAnchoredTo]="anchor()"
      (keydown.escape)="close()"
    >
      @let who = person();
      <div class="head">
        <hb-avatar [userId]="userId()" [name]="who.name" [avatar]="who.avatar" [size]="64" />
        <div class="who">
          <h2 id="profile-card-name" data-testid="profile-card-name">
            <bdi>{{ who.name }}</bdi>
          </h2>
          <p class="presence" data-testid="profile-card-presence">
            <hb-presence-dot [state]="who.presence" />
            <span aria-hidden="true">{{ presenceText() }}</span>
          </p>
        </div>
      </div>
      @if (who.status; as status) {
        <p class="status" data-testid="profile-card-status">
          @if (status.emoji) {
            <span class="emoji">{{ status.emoji }}</span>
          }
          <bdi>{{ status.text }}</bdi>
        </p>
      }
      @if (profile()?.about; as about) {
        <p class="about" data-testid="profile-card-about">
          <bdi>{{ about }}</bdi>
        </p>
      }
      @if (localTime(); as time) {
        <p class="time" data-testid="profile-card-time">{{ time }} local time</p>
      }
      @if (error(); as error) {
        <p class="error" role="alert">{{ error }}</p>
      }
      <div class="buttons">
        @if (self()) {
          <button type="button" data-testid="profile-card-edit" (click)="editProfile()">Edit profile</button>
        } @else {
          <button type="button" data-testid="profile-card-message" (click)="message()">Message</button>
        }
        <button type="button" class="secondary" (click)="close()">Close</button>
      </div>
    </section>
  `,
  styles: `
    .card {
      z-index: 30;
      width: min(18rem, calc(100vw - 1rem));
      padding: 0.75rem;
      border: 1px solid var(--border);
      border-radius: 0.5rem;
      background: var(--surface);
      color: var(--text);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.2);
    }
    .head {
      display: flex;
      gap: 0.75rem;
      align-items: center;
    }
    .who {
      min-width: 0;
    }
    h2 {
      margin: 0;
      font-size: 1.05rem;
      overflow-wrap: anywhere;
    }
    p {
      margin: 0.4rem 0 0;
      overflow-wrap: anywhere;
    }
    .presence {
      display: flex;
      align-items: center;
      gap: 0.35rem;
      margin: 0.2rem 0 0;
      color: var(--muted);
      font-size: 0.85rem;
    }
    .emoji {
      margin-right: 0.3rem;
    }
    .time {
      color: var(--muted);
      font-size: 0.85rem;
    }
    .buttons {
      display: flex;
      gap: 0.5rem;
      justify-content: flex-end;
      margin-top: 0.75rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfileCard {
  private readonly app = inject(PROFILE_HOST);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  readonly userId = input.required<string>();
  /** The name that opened the card: the card sits beside it. */
  readonly anchor = input.required<HTMLElement>();
  /** Why it closed: dismissed (the focus goes back to the name), Message (the conversation takes it), Edit profile (the page opens). */
  readonly closed = output<'dismissed' | 'message' | 'edit'>();

  private readonly live = computed(() => this.app.person(this.userId())());
  protected readonly profile = signal<Profile | null>(null);
  protected readonly error = signal<string | null>(null);
  private readonly now = signal(Date.now());

  protected readonly self = computed(() => this.app.selfId() === this.userId());
  /** The people list's entry when it has one (kept live by events), else the card the server gave. */
  protected readonly person = computed(() => {
    const user = this.live();
    const profile = this.profile();
    const status = user ? user.status : profile?.status;
    return {
      name: user?.name ?? profile?.name ?? '',
      avatar: user ? user.avatar : profile?.avatar,
      presence: user ? user.presence : (profile?.presence ?? 'offline'),
      status: status && !(status.expiresAt && Date.parse(status.expiresAt) <= this.now()) ? status : undefined,
    };
  });
  protected readonly presenceText = computed(() => {
    const text = PRESENCE_TEXT[this.person().presence];
    return text[0].toUpperCase() + text.slice(1);
  });
  protected readonly localTime = computed(() => {
    const timeZone = this.profile()?.timeZone;
    if (!timeZone) return null;
    try {
      return new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone }).format(this.now());
    } catch {
      return null;
    }
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      this.host
        .querySelector<HTMLElement>('[data-testid="profile-card-message"], [data-testid="profile-card-edit"]')
        ?.focus();
      // The server's card (about line, time zone), then each change of it.
      const subscription = this.app.profile(this.userId()).subscribe({
        next: (profile) => this.profile.set(profile),
        error: (error: Error) => this.error.set(error.message),
      });
      destroyRef.onDestroy(() => subscription.unsubscribe());
    });
    const tick = setInterval(() => this.now.set(Date.now()), 15_000);
    // A press outside the card (not on the name that opened it: that one toggles) closes it.
    const outside = (event: Event): void => {
      const target = event.target as Node;
      if (!this.host.contains(target) && !this.anchor().contains(target)) this.closed.emit('dismissed');
    };
    document.addEventListener('pointerdown', outside, true);
    destroyRef.onDestroy(() => {
      clearInterval(tick);
      document.removeEventListener('pointerdown', outside, true);
    });
  }

  protected close(): void {
    this.closed.emit('dismissed');
  }

  protected message(): void {
    this.app.message(this.userId());
    this.closed.emit('message');
  }

  protected editProfile(): void {
    this.closed.emit('edit');
  }
}
