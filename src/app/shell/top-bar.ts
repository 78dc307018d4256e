import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { Store } from '@ngrx/store';

import { sessionFeature } from '../auth/session.feature';
import { SIGN_OUT_URL } from '../auth/session-api';
import { SettingsLauncher } from '../notification-settings/settings-launcher';
import { selectConnectionStatus } from '../outbox/outbox.selectors';
import { PROFILE_HOST } from '../people/profile-opener';
import { readStateFeature } from '../read-state/read-state.feature';
import { SearchLauncher } from '../search/search-launcher';
import { ConnectionStatus } from './connection-status';

/** The app's bar: the Rooms button of narrow screens (with the unread count), Search, the connection, notification settings and who is signed in (their Profile). */
@Component({
  selector: 'hb-top-bar',
  imports: [ConnectionStatus],
  templateUrl: './top-bar.html',
  styleUrl: './top-bar.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TopBar {
  private readonly store = inject(Store);
  /** Whether the sidebar panel (narrow screens) is open. */
  readonly sidebarOpen = input(false);
  readonly toggleSidebar = output<void>();

  protected readonly signOutUrl = SIGN_OUT_URL;
  protected readonly user = this.store.selectSignal(sessionFeature.selectUser);
  protected readonly connection = this.store.selectSignal(selectConnectionStatus);
  protected readonly totalUnread = this.store.selectSignal(readStateFeature.selectTotalUnread);
  private readonly search = inject(SearchLauncher);
  private readonly settings = inject(SettingsLauncher);
  private readonly profiles = inject(PROFILE_HOST, { optional: true });

  /** "Profile" (the signed-in name): name, about line, time zone, avatar, status and away, a lazy dialog. */
  protected openProfile(button: HTMLElement): void {
    this.profiles?.showProfilePage(button);
  }

  protected openSearch(): void {
    this.search.open();
  }

  /** Notification settings: pushes to this device, devices, do not disturb, room levels. */
  protected openSettings(): void {
    this.settings.open();
  }
}
