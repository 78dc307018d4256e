import { computed, Injectable, signal } from '@angular/core';

/**
 * GitHub's emoji shortcodes (`:tada:` → 🎉), from the `gemoji` package. The table is about 35 kB
 * on the wire, a third of the app's whole initial download, so it is loaded only once a message
 * holds something that looks like a shortcode; until then (and if loading fails) the shortcode
 * shows as typed.
 */
@Injectable({ providedIn: 'root' })
export class EmojiShortcodes {
  private readonly table = signal<Readonly<Record<string, string>> | null>(null);
  private loading: Promise<void> | null = null;

  /** The emoji a name stands for, once the table is loaded (a signal: readers update when it arrives). */
  readonly lookup = (name: string): string | undefined => {
    const table = this.table();
    return table && Object.hasOwn(table, name) ? table[name] : undefined;
  };

  /** Every name with its emoji, by name, once the table is loaded (for completing `:name` as it is typed). */
  readonly entries = computed((): readonly (readonly [string, string])[] => {
    const table = this.table();
    return table ? Object.entries(table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  });

  /** Whether the table is here; reading it makes a computed depend on its arrival. */
  readonly loaded = (): boolean => this.table() !== null;

  load(): Promise<void> {
    this.loading ??= import('gemoji').then(
      ({ nameToEmoji }) => this.table.set(nameToEmoji),
      () => {
        // Offline or a new deployment replaced the chunk: try again with the next message.
        this.loading = null;
      },
    );
    return this.loading;
  }
}
