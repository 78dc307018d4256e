import { ChangeDetectionStrategy, Component, computed, inject, InjectionToken, input } from '@angular/core';

import { avatarColour, initialsOf } from './avatar-colour';

/**
 * Where a person's avatar of a version is (`Routes.userAvatar?v=`), provided with the people
 * feature (people.providers.ts). A token rather than an import of the contract here: lazy chunks
 * show avatars too, and this module importing the contract made the bundler split the contract out
 * of the first download's main file into a chunk of its own (a larger first download).
 */
export const AVATAR_URL = new InjectionToken<(userId: string, version: string) => string>('avatar URL');

/**
 * A person's face: their avatar (loaded lazily, cached by the browser per version) or, without one,
 * their initials on a colour from their id. Beside a name it is decoration (empty alt text); alone,
 * `label` says whose it is.
 */
@Component({
  selector: 'hb-avatar',
  template: `
    @if (url && avatar(); as version) {
      <img [src]="src(version)" [alt]="label()" loading="lazy" decoding="async" [width]="size()" [height]="size()" />
    } @else {
      <span
        [attr.role]="label() ? 'img' : null"
        [attr.aria-label]="label() || null"
        [attr.aria-hidden]="!label() || null"
        [style.background]="colour()"
        [attr.data-initials]="initials()"
      ></span>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      flex: none;
      width: var(--size);
      height: var(--size);
      border-radius: 50%;
      overflow: hidden;
    }
    img,
    span {
      width: 100%;
      height: 100%;
    }
    img {
      object-fit: cover;
    }
    span {
      display: grid;
      place-items: center;
      color: #fff;
      font-size: calc(var(--size) * 0.4);
      font-weight: 600;
      line-height: 1;
    }
    /* Drawn, not text: beside a name the initials would join it in the text of a row or an option. */
    span::before {
      content: attr(data-initials);
    }
  `,
  host: { '[style.--size.px]': 'size()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Avatar {
  readonly userId = input.required<string>();
  readonly name = input.required<string>();
  /** The avatar's version (`User.avatar`); absent, the initials show. */
  readonly avatar = input<string | undefined>();
  readonly size = input(24);
  /** Whose face this is, for screen readers; empty beside the person's name. */
  readonly label = input('');

  protected readonly initials = computed(() => initialsOf(this.name()));
  protected readonly colour = computed(() => avatarColour(this.userId()));

  protected readonly url = inject(AVATAR_URL, { optional: true });

  protected src(version: string): string {
    return this.url?.(this.userId(), version) ?? '';
  }
}
