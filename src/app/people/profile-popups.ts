import {
  ApplicationRef,
  type ComponentRef,
  computed,
  createComponent,
  EnvironmentInjector,
  inject,
  Injectable,
  Injector,
  type OutputEmitterRef,
  type Signal,
  type Type,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Actions, ofType } from '@ngrx/effects';
import { Store } from '@ngrx/store';
import {
  catchError,
  concat,
  defer,
  filter,
  ignoreElements,
  map,
  type Observable,
  switchMap,
  tap,
  throwError,
} from 'rxjs';

import type { AvatarType, Profile, ProfileUpdateRequest, StatusRequest } from '../../../contract';
import { UploadsApi } from '../attachments/uploads-api';
import { ProfileApiActions } from '../auth/session.actions';
import { sessionFeature } from '../auth/session.feature';
import { apiErrorOf } from '../core/api-client';
import { Away } from '../core/away';
import { ChatHubActions } from '../core/hub.actions';
import { PeopleListActions } from './people.actions';
import { ProfileApi } from './profile-api';
import type { PersonView, ProfileHost } from './profile-opener';
import { presenceOf, usersFeature } from './users.feature';

/**
 * How the card and the page say they closed: dismissed (Escape, a click outside, Close: the focus
 * goes back to what opened them), `message` (a conversation opened and takes the focus), `edit`
 * (the card's "Edit profile": the page opens).
 */
type CloseReason = 'dismissed' | 'message' | 'edit' | void;
interface Closable {
  readonly closed: OutputEmitterRef<CloseReason>;
}

/**
 * Opens a person's profile card (from their name anywhere) and the signed-in person's profile
 * page, each a lazy chunk, attached to the application and placed on the page's body so that no
 * list's overflow clips it. One at a time; closing gives the focus back to what opened it. It is
 * also their {@link ProfileHost}: the people state and the profile routes, so the chunks import
 * none of the first download's modules.
 */
@Injectable({ providedIn: 'root' })
export class ProfilePopups implements ProfileHost {
  private readonly appRef = inject(ApplicationRef);
  private readonly injector = inject(EnvironmentInjector);
  private readonly store = inject(Store);
  /** Read when a card opens: views that only show names (and their specs) need no effects. */
  private readonly environment = inject(Injector);
  private readonly api = inject(ProfileApi);
  private readonly uploads = inject(UploadsApi);
  private readonly away = inject(Away);
  private readonly users = this.store.selectSignal(usersFeature.selectEntities);
  private current: ComponentRef<Closable> | null = null;
  private currentAnchor: HTMLElement | null = null;
  private opening = 0;

  private readonly me = this.store.selectSignal(sessionFeature.selectUser);
  readonly selfId = computed(() => this.me()?.id ?? null);
  readonly awayByHand = toSignal(this.away.awayByHand$, { initialValue: false });

  /** Opens the person's card beside `anchor`, or closes it when it is already open there (the name toggles it). */
  async showCard(userId: string, anchor: HTMLElement): Promise<void> {
    if (this.current && this.currentAnchor === anchor) {
      this.close();
      return;
    }
    const opening = this.begin();
    const { ProfileCard } = await import('./profile-card');
    this.show(opening, ProfileCard, anchor, { userId, anchor });
  }

  async showProfilePage(anchor: HTMLElement | null): Promise<void> {
    const opening = this.begin();
    const { ProfilePage } = await import('./profile-page');
    this.show(opening, ProfilePage, anchor, {});
  }

  close(): void {
    this.opening++;
    const ref = this.current;
    this.current = null;
    this.currentAnchor = null;
    ref?.destroy();
  }

  person(userId: string): Signal<PersonView | null> {
    return computed(() => {
      const user = this.users()[userId];
      return user ? { name: user.name, avatar: user.avatar, presence: presenceOf(user), status: user.status } : null;
    });
  }

  profile(userId: string): Observable<Profile> {
    const changes$ = this.environment.get(Actions).pipe(
      ofType(ChatHubActions.profileChanged),
      map(({ profile }) => profile),
      filter((profile) => profile.id === userId),
    );
    return concat(this.api.profile(userId).pipe(catchError(refusal)), changes$);
  }

  message(userId: string): void {
    this.store.dispatch(PeopleListActions.directMessageClicked({ userId }));
  }

  own(): Observable<Profile> {
    return this.api.own().pipe(catchError(refusal));
  }

  update(change: ProfileUpdateRequest): Observable<Profile> {
    return this.saved(this.api.update(change));
  }

  setStatus(status: StatusRequest): Observable<Profile> {
    return this.saved(this.api.setStatus(status));
  }

  clearStatus(): Observable<Profile> {
    return this.saved(this.api.clearStatus());
  }

  removeAvatar(): Observable<Profile> {
    return this.saved(this.api.removeAvatar());
  }

  uploadAvatar(blob: Blob, type: AvatarType, progress: (sent: number) => void): Observable<Profile> {
    return this.saved(
      this.api.requestAvatar({ size: blob.size, type }).pipe(
        switchMap((upload) =>
          concat(
            this.uploads.put(upload.uploadUrl, blob, type).pipe(
              tap(({ loaded }) => progress(loaded / blob.size)),
              ignoreElements(),
            ),
            defer(() => this.api.completeAvatar(upload.id)),
          ),
        ),
      ),
    );
  }

  setAwayByHand(away: boolean): void {
    this.away.setAwayByHand(away);
  }

  /** The change's answer into the store (every list shows it at once); an answer that is not a profile is fetched anew. */
  private saved(change$: Observable<unknown>): Observable<Profile> {
    return change$.pipe(
      switchMap((answer) => (isProfile(answer) ? [answer] : this.api.own())),
      tap((profile) => this.store.dispatch(ProfileApiActions.profileSaved({ profile }))),
      catchError(refusal),
    );
  }

  private begin(): number {
    this.close();
    return ++this.opening;
  }

  private show<T extends Closable>(
    opening: number,
    type: Type<T>,
    anchor: HTMLElement | null,
    inputs: Readonly<Record<string, unknown>>,
  ): void {
    // Another opened (or this one was closed) while the code loaded.
    if (opening !== this.opening) return;
    const ref = createComponent(type, { environmentInjector: this.injector });
    for (const [name, value] of Object.entries(inputs)) ref.setInput(name, value);
    this.appRef.attachView(ref.hostView);
    document.body.append(ref.location.nativeElement as HTMLElement);
    this.current = ref;
    this.currentAnchor = anchor;
    ref.instance.closed.subscribe((reason) => {
      if (this.current === ref) this.close();
      if (reason === 'edit') void this.showProfilePage(anchor);
      else if (reason !== 'message' && anchor?.isConnected) anchor.focus();
    });
  }
}

/** A refusal as an error whose message is the server's words. */
function refusal(error: unknown): Observable<never> {
  return throwError(() => new Error(apiErrorOf(error).message));
}

function isProfile(answer: unknown): answer is Profile {
  return typeof answer === 'object' && answer !== null && 'id' in answer && 'name' in answer && 'presence' in answer;
}
