import { ApplicationRef, createComponent, EnvironmentInjector, inject, Injectable } from '@angular/core';

import type { SearchPanel } from './search-panel';

/**
 * Opens the search panel (docs/search.md): from the top bar's Search button and Ctrl/⌘+Shift+F
 * (keyboard-shortcuts.ts). The panel is loaded on first use, so it costs the first download nothing.
 */
@Injectable({ providedIn: 'root' })
export class SearchLauncher {
  private readonly appRef = inject(ApplicationRef);
  private readonly injector = inject(EnvironmentInjector);
  private panel: Promise<SearchPanel> | null = null;

  open(): void {
    this.panel ??= import('./search-panel').then(({ SearchPanel }) => {
      const ref = createComponent(SearchPanel, { environmentInjector: this.injector });
      this.appRef.attachView(ref.hostView);
      document.body.append(ref.location.nativeElement as HTMLElement);
      ref.changeDetectorRef.detectChanges();
      return ref.instance;
    });
    void this.panel.then((panel) => panel.open());
  }
}
