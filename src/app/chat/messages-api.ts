import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { ApiClient } from '../core/api-client';
import type { Message, MessagePage } from '../core/wire-types';

export const PAGE_SIZE = 50;

export type HistoryCursor = { readonly before: string } | { readonly after: string } | null;

@Injectable({ providedIn: 'root' })
export class MessagesApi {
  private readonly api = inject(ApiClient);

  /** Idempotent by id: sending the same message again stores and broadcasts it once. */
  send(message: { readonly id: string; readonly room: string; readonly text: string }): Observable<Message> {
    return this.api.post<Message>('/api/messages', { id: message.id, room: message.room, text: message.text });
  }

  /** The newest page, the page just before a message, or what came after one; oldest first. */
  history(room: string, cursor: HistoryCursor = null): Observable<MessagePage> {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor && 'before' in cursor) query.set('before', cursor.before);
    if (cursor && 'after' in cursor) query.set('after', cursor.after);
    return this.api.get<MessagePage>(`/api/rooms/${encodeURIComponent(room)}/messages?${query.toString()}`);
  }

  typing(room: string): Observable<unknown> {
    return this.api.post<unknown>(`/api/rooms/${encodeURIComponent(room)}/typing`);
  }
}
