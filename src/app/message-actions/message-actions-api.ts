import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

import { apiPath, type EditMessageRequest, type Message, type ReactionRequest, Routes } from '../../../contract';
import { ApiClient } from '../core/api-client';

/** Changes to a stored message; each answers with the message's whole new state. */
@Injectable({ providedIn: 'root' })
export class MessageActionsApi {
  private readonly api = inject(ApiClient);

  /**
   * `mentions` is always sent, `[]` for nobody: a request without it is taken as from a client
   * that cannot say whom an edit mentions (the server then keeps the old mentions still in the text).
   */
  edit(
    room: string,
    id: string,
    edit: { text: string; revision: number; mentions: readonly string[]; mentionsRoom: boolean },
  ): Observable<Message> {
    const { text, revision, mentions, mentionsRoom } = edit;
    const request: EditMessageRequest = {
      text,
      revision,
      mentions: [...mentions],
      ...(mentionsRoom && { mentionsRoom }),
    };
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
