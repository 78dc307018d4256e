import {
  ApplicationRef,
  createComponent,
  createEnvironmentInjector,
  EnvironmentInjector,
  inject,
  Injectable,
} from '@angular/core';

import type { SettingsPanel } from './settings-panel';

/**
 * Opens the notification settings panel: from the top bar's Notifications button, or a room's
 * bell in the sidebar (that room's level focused). The panel, its state and its effects are loaded
 * on first use, so they cost the first download nothing.
 */
@Injectable({ providedIn: 'root' })
export class SettingsLauncher {
  private readonly appRef = inject(ApplicationRef);
  private readonly injector = inject(EnvironmentInjector);
  private panel: Promise<SettingsPanel> | null = null;

  open(room?: string): void {
    this.panel ??= import('./settings-panel').then(({ SettingsPanel, settingsProviders }) => {
      const environmentInjector = createEnvironmentInjector(settingsProviders, this.injector, 'notification settings');
      const ref = createComponent(SettingsPanel, { environmentInjector });
      this.appRef.attachView(ref.hostView);
      document.body.append(ref.location.nativeElement as HTMLElement);
      ref.changeDetectorRef.detectChanges();
      return ref.instance;
    });
    void this.panel.then((panel) => panel.open(room));
  }
}
