import {
  ApplicationRef,
  type ComponentRef,
  createComponent,
  EnvironmentInjector,
  inject,
  Injectable,
  type OutputEmitterRef,
  type Type,
} from '@angular/core';

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
 * list's overflow clips it. One at a time; closing gives the focus back to what opened it.
 */
@Injectable({ providedIn: 'root' })
export class ProfilePopups {
  private readonly appRef = inject(ApplicationRef);
  private readonly injector = inject(EnvironmentInjector);
  private current: ComponentRef<Closable> | null = null;
  private currentAnchor: HTMLElement | null = null;
  private opening = 0;

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

  close(): void {
    this.opening++;
    const ref = this.current;
    this.current = null;
    this.currentAnchor = null;
    ref?.destroy();
  }
}
