import { inject, Injectable } from '@angular/core';

import { LOCAL_STORAGE } from '../core/local-storage';

const KEY_PREFIX = 'hubbub.draft.';

/**
 * Drafts in localStorage, one key per user and room (`hubbub.draft.<user>.<room>`), so tabs
 * typing in different rooms never overwrite each other's drafts.
 */
@Injectable({ providedIn: 'root' })
export class DraftStorage {
  private readonly storage = inject(LOCAL_STORAGE);

  load(userId: string): Record<string, string> {
    const prefix = `${KEY_PREFIX}${userId}.`;
    const drafts: Record<string, string> = {};
    try {
      for (let i = 0; i < (this.storage?.length ?? 0); i++) {
        const key = this.storage?.key(i);
        if (!key?.startsWith(prefix)) continue;
        const text = this.storage?.getItem(key);
        if (text) drafts[key.slice(prefix.length)] = text;
      }
    } catch {
      // Blocked storage: no drafts from before.
    }
    return drafts;
  }

  save(userId: string, room: string, text: string): void {
    const key = `${KEY_PREFIX}${userId}.${room}`;
    try {
      if (text === '') this.storage?.removeItem(key);
      else this.storage?.setItem(key, text);
    } catch {
      // Quota or privacy settings: the draft is kept for this page's lifetime only.
    }
  }
}
