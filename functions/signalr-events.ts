/**
 * signalrEvents: `POST /api/signalr/events` — the SignalR Service's upstream endpoint, an ordinary
 * HTTP trigger (which every Functions plan runs, Flex Consumption included) in place of the
 * `signalRTrigger` webhook at /runtime/webhooks/signalr. It does what the extension's dispatcher
 * does for the events Hubbub uses: checks the request (415 / 400 / 404), verifies the
 * `X-ASRS-Signature` against the access key of `AzureSignalRConnectionString` (401), and hands the
 * `connections` events `connected` / `disconnected` of hub `chat` to the presence logic.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { connected } from './domain/connections/connected';
import { disconnected } from './domain/connections/disconnected';
import { errorResponse } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import type { SignalRInvocation } from './platform/signalr/signalr';
import { CONNECTION_SETTING, HUB, signalROut } from './platform/signalr/signalr';
import { accessKeyOf, upstreamSignatureValid } from './platform/signalr/upstream-signature';

/** The serverless protocol's request headers (learn.microsoft.com/azure/azure-signalr/concept-upstream). */
export const UpstreamHeaders = {
  connectionId: 'x-asrs-connection-id',
  hub: 'x-asrs-hub',
  category: 'x-asrs-category',
  event: 'x-asrs-event',
  userId: 'x-asrs-user-id',
  signature: 'x-asrs-signature',
} as const;

/** Connection events carry `{"type":10}` or `{"type":11,"error":…}`; anything near this size is not one. */
const MAX_EVENT_BYTES = 16 * 1024;

const handlers: Record<string, (invocation: SignalRInvocation, context: InvocationContext) => Promise<void>> = {
  connected,
  disconnected,
};

export async function signalrEvents(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const header = (name: string): string | undefined => request.headers.get(name)?.trim() || undefined;
  const mediaType = header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json' && mediaType !== 'application/x-msgpack') {
    return errorResponse(
      415,
      'unsupported_media_type',
      'Upstream bodies are application/json or application/x-msgpack',
    );
  }
  const hub = header(UpstreamHeaders.hub);
  const category = header(UpstreamHeaders.category);
  const event = header(UpstreamHeaders.event);
  const connectionId = header(UpstreamHeaders.connectionId);
  if (!hub || !category || !event || !connectionId) {
    return errorResponse(
      400,
      'validation_failed',
      'The X-ASRS hub, category, event or connection id header is missing',
    );
  }
  const handler = handlers[event.toLowerCase()];
  if (hub.toLowerCase() !== HUB || category.toLowerCase() !== 'connections' || !handler) {
    return errorResponse(404, 'not_found', `Nothing handles ${category}/${event} of hub ${hub}`);
  }
  const accessKey = accessKeyOf(process.env[CONNECTION_SETTING]);
  if (!accessKey) {
    // Without a key nothing can be verified: refuse rather than trust anyone who can reach the URL.
    context.error(`signalrEvents: the ${CONNECTION_SETTING} setting has no AccessKey to verify upstream signatures`);
    return errorResponse(500, 'internal', 'The upstream endpoint is not configured');
  }
  if (!upstreamSignatureValid(header(UpstreamHeaders.signature), connectionId, [accessKey])) {
    return errorResponse(401, 'unauthenticated', 'The X-ASRS-Signature does not match');
  }

  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_EVENT_BYTES) return errorResponse(413, 'payload_too_large', 'Not a connection event');
  const error = mediaType === 'application/json' ? closeError(body) : undefined;
  if (error === false) return errorResponse(400, 'malformed_json', 'The body is not a connection event');

  const invocation: SignalRInvocation = {
    ConnectionId: connectionId,
    UserId: header(UpstreamHeaders.userId) ?? null,
    Hub: hub,
    Category: category,
    Event: event,
    Error: error ?? null,
  };
  await handler(invocation, context);
  return { status: 200 };
}

/** The `error` of a CloseConnection body (property names in any case, as the extension reads them); false if unparsable. */
function closeError(body: Buffer): string | undefined | false {
  if (body.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8').replace(/\x1e$/, ''));
  } catch {
    return false;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entry = Object.entries(value).find(([name]) => name.toLowerCase() === 'error');
  return typeof entry?.[1] === 'string' && entry[1] !== '' ? entry[1] : undefined;
}

app.http('signalrEvents', {
  route: 'api/signalr/events',
  methods: ['POST'],
  // The signature is the authentication: the service cannot send a function key unless it is
  // written into the upstream URL, and then the URL would be a secret in the template.
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(signalrEvents),
});
