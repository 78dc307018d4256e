import { DOCUMENT, inject, Injectable } from '@angular/core';

import { messagePath } from './addresses';

/** A message's full address, and "Copy link" through the Clipboard API. */
@Injectable({ providedIn: 'root' })
export class MessageLinks {
  private readonly document = inject(DOCUMENT);

  url(room: string, id: string): string {
    return new URL(messagePath(room, id), this.document.baseURI).href;
  }

  /** Whether the browser took it (it refuses without permission, or outside a secure context). */
  async copy(room: string, id: string): Promise<boolean> {
    const clipboard = this.document.defaultView?.navigator.clipboard;
    if (!clipboard) return false;
    try {
      await clipboard.writeText(this.url(room, id));
      return true;
    } catch {
      return false;
    }
  }
}
