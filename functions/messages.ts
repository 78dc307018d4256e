/** messages: accepts `{ id, room, text }`, stamps sender and time, and broadcasts `newMessage`. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { HttpError, badRequest, json, readJsonObject, unauthorized } from './lib/http';
import { principalOf } from './lib/identity';
import { Events, signalROut, type SignalRMessageAction } from './lib/signalr';
import { checkNewMessage } from './lib/validation';

export interface ChatMessage {
  readonly id: string;
  readonly room: string;
  readonly text: string;
  readonly sender: { readonly id: string; readonly name: string };
  readonly sentAt: string;
}

export async function postMessage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const principal = principalOf(request);
  if (!principal) return unauthorized();
  let body: Record<string, unknown>;
  try {
    body = await readJsonObject(request);
  } catch (err) {
    if (err instanceof HttpError) return err.response;
    throw err;
  }
  const checked = checkNewMessage(body);
  if (!checked.ok) return badRequest(checked.message);
  const message: ChatMessage = {
    ...checked.value,
    sender: { id: principal.id, name: principal.name },
    sentAt: new Date().toISOString(),
  };
  const broadcast: SignalRMessageAction = { target: Events.newMessage, arguments: [message] };
  context.extraOutputs.set(signalROut, [broadcast]);
  return json(201, message);
}

app.http('messages', {
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: postMessage,
});
