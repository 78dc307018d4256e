import { Injectable, signal } from '@angular/core';

import type { formatMessage } from './markdown';

/**
 * The Markdown parser (`marked` and markdown.ts), loaded apart from the app's first download:
 * it is a sixth of that download's size budget. `provideFormatting()` starts loading it when the
 * app starts, so it is normally here before the first message arrives; until then (and if
 * loading fails) messages show as typed.
 */
@Injectable({ providedIn: 'root' })
export class Formatter {
  private readonly parser = signal<typeof formatMessage | null>(null);
  private loading: Promise<void> | null = null;

  /** The parser once loaded (a signal: readers update when it arrives). */
  readonly format = this.parser.asReadonly();

  load(): Promise<void> {
    this.loading ??= import('./markdown').then(
      ({ formatMessage }) => this.parser.set(formatMessage),
      () => {
        // Offline or a new deployment replaced the chunk: try again with the next message.
        this.loading = null;
      },
    );
    return this.loading;
  }
}
