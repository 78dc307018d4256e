import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

import { apiPath, type Message, type NewMessageRequest, Routes } from '../../../contract';
import { ApiClient } from '../core/api-client';

@Injectable({ providedIn: 'root' })
export class MessagesApi {
  private readonly api = inject(ApiClient);

  /** Idempotent by id: sending the same message again stores and broadcasts it once. */
  send(
    message: Pick<Message, 'id' | 'room' | 'text' | 'replyTo' | 'attachments' | 'mentions' | 'mentionsRoom'>,
  ): Observable<Message> {
    const { id, room, text, replyTo, attachments, mentions, mentionsRoom } = message;
    const request: NewMessageRequest = {
      id,
      room,
      text,
      ...(replyTo && { replyTo: replyTo.id }),
      // Stored uploads only: the attachments feature hands a message over once all its files are.
      ...(attachments?.length && {
        attachments: attachments.map(({ id, width, height, thumbnail }) => ({
          id,
          ...(width !== undefined && { width }),
          ...(height !== undefined && { height }),
          ...(thumbnail !== undefined && { thumbnail }),
        })),
      }),
      ...(mentions && mentions.length > 0 && { mentions: [...mentions] }),
      ...(mentionsRoom && { mentionsRoom }),
    };
    return this.api.post<Message>(apiPath(Routes.messages), request);
  }

  /** Asks the server to broadcast a stored message of ours again (its first broadcast may have failed). */
  announce(message: Pick<Message, 'id' | 'room'>): Observable<unknown> {
    return this.api.post<unknown>(apiPath(Routes.announce, { room: message.room, id: message.id }));
  }
}
