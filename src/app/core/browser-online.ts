import { DOCUMENT, inject } from '@angular/core';
import { EMPTY, fromEvent, type Observable } from 'rxjs';

/** The window's `online` event: the network is back, so waiting out a backoff is pointless. Call in an injection context. */
export function browserOnline(): Observable<Event> {
  const window = inject(DOCUMENT).defaultView;
  return window ? fromEvent(window, 'online') : EMPTY;
}
