import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { ApiClient } from '../core/api-client';
import { apiPath, Routes, type Message, type NewMessageRequest } from '../../../contract';

@Injectable({ providedIn: 'root' })
export class MessagesApi {
  private readonly api = inject(ApiClient);

  /** Idempotent by id: sending the same message again stores and broadcasts it once. */
  send(message: NewMessageRequest): Observable<Message> {
    const request: NewMessageRequest = { id: message.id, room: message.room, text: message.text };
    return this.api.post<Message>(apiPath(Routes.messages), request);
  }
}
