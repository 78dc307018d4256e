/**
 * The one step edits and deletions go through (reactions have their own: message-reactions.ts): apply
 * the decision as the room's next change, answer with the message as it now is, and broadcast
 * `messageChanged` when something changed. A repeat changes nothing and broadcasts nothing.
 * `followUps`, when given, adds what else a change sends (an edit's `mention` and `readState`
 * events); it runs only when something changed, after it was stored. `repeated`, when given, says
 * what an exact repeat of the change sends again (its first attempt's events may have been lost
 * part-way: SignalR throttled or unreachable after the change was stored); undefined: nothing.
 */
import type { HttpResponseInit, InvocationContext } from '@azure/functions';

import type { Message } from '../../../contract';
import { errorResponse, json, notFound } from '../../platform/http/responses';
import { roomMessage, type SignalRMessageAction, signalROut } from '../../platform/signalr/signalr';
import type { Refusal } from './message-changes';
import { presentOne } from './message-view';
import { type Decision, type StoredMessage, updateMessage } from './room-log';

export type ChangeFollowUps = (
  previous: StoredMessage,
  stored: StoredMessage,
  message: Message,
) => Promise<SignalRMessageAction[]>;

export async function changeMessage(
  context: InvocationContext,
  room: string,
  id: string,
  decide: (current: StoredMessage) => Decision<Refusal>,
  followUps?: ChangeFollowUps,
  repeated?: (current: StoredMessage, message: Message) => Promise<SignalRMessageAction[]> | undefined,
): Promise<HttpResponseInit> {
  const result = await updateMessage(room, id, decide);
  switch (result.kind) {
    case 'missing':
      return notFound(`No message ${id} in ${room}`);
    case 'refused':
      return errorResponse(
        result.reason.status,
        result.reason.status === 403 ? 'forbidden' : 'conflict',
        result.reason.message,
      );
    case 'unchanged': {
      const message = await presentOne(result.message);
      const again = await repeated?.(result.message, message);
      if (again) context.extraOutputs.set(signalROut, [roomMessage(room, 'messageChanged', message), ...again]);
      return json(200, message);
    }
    case 'changed': {
      const message = await presentOne(result.message);
      const more = followUps ? await followUps(result.previous, result.message, message) : [];
      context.extraOutputs.set(signalROut, [roomMessage(room, 'messageChanged', message), ...more]);
      return json(200, message);
    }
  }
}
