import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

import { apiPath, type EditMessageRequest, type Message, type ReactionRequest, Routes } from '../../../contract';
import { ApiClient } from '../core/api-client';

/** Changes to a stored message; each answers with the message's whole new state. */
@Injectable({ providedIn: 'root' })
export class MessageActionsApi {
  private readonly api = inject(ApiClient);

  edit(room: string, id: string, text: string, revision: number): Observable<Message> {
    const request: EditMessageRequest = { text, revision };
    return this.api.patch<Message>(apiPath(Routes.message, { room, id }), request);
  }

  remove(room: string, id: string): Observable<Message> {
    return this.api.delete<Message>(apiPath(Routes.message, { room, id }));
  }

  /** Idempotent: adding a reaction twice, or removing one that is not there, changes nothing. */
  react(room: string, id: string, emoji: string, add: boolean): Observable<Message> {
    const request: ReactionRequest = { emoji, add };
    return this.api.post<Message>(apiPath(Routes.reactions, { room, id }), request);
  }
}
