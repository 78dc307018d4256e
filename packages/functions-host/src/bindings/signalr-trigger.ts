/**
 * The `signalRTrigger` webhook at `/runtime/webhooks/signalr`: SignalR Service's upstream requests
 * dispatched to functions by (hub, category, event) the way the extension's SignalRTriggerDispatcher
 * does it (docs/signalr-service-contract.md §4.2): 415 / 400 / 404 / 401 / 500 / 200, and a framed Completion for invokes.
 */
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { decode as decodeMsgPack, encode as encodeMsgPack } from '@msgpack/msgpack';

import { toTypedData } from '../worker/typed-data';
import type { BindingType, HostContext, TriggerTarget } from './binding';
import { executeAndLog } from './execute-and-log';
import { connectionFromSetting, connectionSettingOf, signalRAppSetting } from './signalr-connection';

export const SIGNALR_WEBHOOK_PATH = '/runtime/webhooks/signalr';

/** No listener: the host's HTTP server takes the service's upstream calls at SIGNALR_WEBHOOK_PATH. */
export const signalRTrigger: BindingType = {
  name: 'signalRTrigger',
  directions: ['trigger'],
  appSetting: signalRAppSetting,
};

/** The dispatch key of a signalRTrigger: the extension matches hub, category and event ignoring case. */
export function signalRTriggerKey(hub: string, category: string, event: string): string {
  return `${hub}\n${category}\n${event}`.toLowerCase();
}

const JSON_CONTENT_TYPE = 'application/json';
const MSGPACK_CONTENT_TYPE = 'application/x-msgpack';
const RECORD_SEPARATOR = '\x1e';
const INVOCATION_MESSAGE = 1;
const COMPLETION_MESSAGE = 3;

export const Headers = {
  connectionId: 'x-asrs-connection-id',
  hub: 'x-asrs-hub',
  category: 'x-asrs-category',
  event: 'x-asrs-event',
  userId: 'x-asrs-user-id',
  claims: 'x-asrs-user-claims',
  query: 'x-asrs-client-query',
  signature: 'x-asrs-signature',
} as const;

export interface WebhookRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface WebhookResponse {
  readonly status: number;
  readonly body?: Buffer;
  readonly contentType?: string;
  /** Why it failed, for the host log (never a key). */
  readonly reason?: string;
  readonly functionName?: string;
}

/** The trigger value JavaScript functions receive: the extension's InvocationContext, PascalCase. */
export interface SignalRInvocationContext {
  Arguments: unknown[] | null;
  Error: string | null;
  Category: string;
  Event: string;
  Hub: string;
  ConnectionId: string;
  UserId: string | null;
  Headers: Record<string, string>;
  Query: Record<string, string>;
  Claims: Record<string, string>;
}

interface ServerlessMessage {
  readonly type: number;
  readonly invocationId?: string;
  readonly target?: string;
  readonly arguments?: unknown[];
  readonly error?: string;
}

export interface WebhookContext {
  readonly host: HostContext;
  /** The signalRTrigger functions by signalRTriggerKey (function-index.ts builds them). */
  readonly index: { readonly signalRTriggers: ReadonlyMap<string, TriggerTarget> };
  readonly fetch?: typeof fetch;
}

export async function handleSignalRWebhook(ctx: WebhookContext, request: WebhookRequest): Promise<WebhookResponse> {
  const mediaType = headerValue(request.headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== JSON_CONTENT_TYPE && mediaType !== MSGPACK_CONTENT_TYPE) {
    return { status: 415, reason: `content type ${mediaType ?? '(none)'} is neither JSON nor MessagePack` };
  }
  const hub = headerValue(request.headers, Headers.hub);
  const category = headerValue(request.headers, Headers.category);
  const event = headerValue(request.headers, Headers.event);
  if (!hub || !category || !event) return { status: 400, reason: 'hub, category or event header is missing' };
  const target = ctx.index.signalRTriggers.get(signalRTriggerKey(hub, category, event));
  if (!target) return { status: 404, reason: `no function for hub ${hub}, category ${category}, event ${event}` };

  const functionName = target.fn.name;
  let context: SignalRInvocationContext;
  let message: ServerlessMessage;
  try {
    const connectionId = headerValue(request.headers, Headers.connectionId);
    if (!connectionId) throw new Error('the X-ASRS-Connection-Id header is missing');
    const { accessKey } = connectionFromSetting(connectionSettingOf(target.trigger));
    if (!signatureValid(headerValue(request.headers, Headers.signature), connectionId, accessKey)) {
      return { status: 401, reason: 'the X-ASRS-Signature does not match the access key', functionName };
    }
    message = parseMessage(request.body, mediaType);
    context = invocationContext(request.headers, { hub, category, event, connectionId }, message);
    if (category.toLowerCase() === 'messages') {
      if (message.type !== INVOCATION_MESSAGE) throw new Error(`message type ${message.type} is not an Invocation`);
      if ((message.target ?? '').toLowerCase() !== event.toLowerCase()) {
        throw new Error(`the invocation target ${message.target ?? ''} does not match the event ${event}`);
      }
      checkParameterNames(target, context);
    }
  } catch (err) {
    return { status: 500, reason: (err as Error).message, functionName };
  }

  const wantsResult =
    category.toLowerCase() === 'messages' && typeof message.invocationId === 'string' && message.invocationId !== '';
  let completion: Record<string, unknown> | undefined;
  const result = await executeAndLog(ctx.host, {
    fn: target.fn,
    triggerName: target.triggerName,
    triggerData: toTypedData(context) ?? { json: '{}' },
    triggerMetadata: triggerMetadata(target, context),
    bindingData: { headers: context.Headers, query: new URLSearchParams(context.Query) },
    fetch: ctx.fetch,
  });
  if (result) {
    if (wantsResult) {
      const returned = result.response.returnValue;
      // A returned string stays a string (the generic converter would parse "42" into a number).
      const value = typeof returned?.string === 'string' ? returned.string : result.returnValue;
      completion = { type: COMPLETION_MESSAGE, invocationId: message.invocationId, result: value ?? null };
    }
  } else {
    // The extension answers 200 either way; an invoke gets an error Completion. We keep the
    // details in the log rather than sending a stack trace to the client.
    if (wantsResult) {
      completion = {
        type: COMPLETION_MESSAGE,
        invocationId: message.invocationId,
        error: `Exception while executing function: Functions.${functionName}`,
      };
    }
  }
  if (!completion) return { status: 200, functionName };
  return mediaType === JSON_CONTENT_TYPE
    ? {
        status: 200,
        functionName,
        contentType: JSON_CONTENT_TYPE,
        body: Buffer.from(JSON.stringify(completion) + RECORD_SEPARATOR),
      }
    : { status: 200, functionName, contentType: MSGPACK_CONTENT_TYPE, body: frameMsgPackCompletion(completion) };
}

/** `sha256=<hex HMAC-SHA256(AccessKey, connectionId)>`, possibly several comma-separated; hex case ignored. */
export function signatureValid(header: string | undefined, connectionId: string, accessKey: string): boolean {
  if (!header) return false;
  const expected = `sha256=${createHmac('sha256', Buffer.from(accessKey, 'utf8')).update(connectionId, 'utf8').digest('hex')}`;
  return header
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes(expected);
}

export function signConnectionId(connectionId: string, accessKey: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(accessKey, 'utf8')).update(connectionId, 'utf8').digest('hex').toUpperCase()}`;
}

function parseMessage(body: Buffer, mediaType: string): ServerlessMessage {
  if (mediaType === JSON_CONTENT_TYPE) {
    let raw: unknown;
    try {
      // Upstream bodies are unframed; tolerate a trailing record separator all the same.
      raw = JSON.parse(body.toString('utf8').replace(/\x1e$/, ''));
    } catch {
      throw new Error('Parsing message failed');
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('Parsing message failed');
    const lower: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) lower[k.toLowerCase()] = v;
    if (typeof lower['type'] !== 'number') throw new Error('Parsing message failed');
    return {
      type: lower['type'],
      invocationId: typeof lower['invocationid'] === 'string' ? lower['invocationid'] : undefined,
      target: typeof lower['target'] === 'string' ? lower['target'] : undefined,
      arguments: Array.isArray(lower['arguments']) ? lower['arguments'] : undefined,
      error: typeof lower['error'] === 'string' ? lower['error'] : undefined,
    };
  }
  let raw: unknown;
  try {
    raw = decodeMsgPack(body);
  } catch {
    throw new Error('Parsing message failed');
  }
  // The extension's MessagePack parser understands Invocations only: [1, headers, id, target, args, streamIds?].
  if (!Array.isArray(raw) || raw[0] !== INVOCATION_MESSAGE || typeof raw[3] !== 'string' || !Array.isArray(raw[4])) {
    throw new Error('Parsing message failed');
  }
  return {
    type: INVOCATION_MESSAGE,
    invocationId: typeof raw[2] === 'string' ? raw[2] : undefined,
    target: raw[3],
    arguments: raw[4] as unknown[],
  };
}

function invocationContext(
  headers: IncomingHttpHeaders,
  key: { hub: string; category: string; event: string; connectionId: string },
  message: ServerlessMessage,
): SignalRInvocationContext {
  const all: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) all[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    Arguments: message.arguments ?? null,
    Error: message.error ?? null,
    Category: key.category,
    Event: key.event,
    Hub: key.hub,
    ConnectionId: key.connectionId,
    UserId: headerValue(headers, Headers.userId) ?? null,
    Headers: all,
    Query: parseClientQuery(headerValue(headers, Headers.query)),
    Claims: parseClaims(headerValue(headers, Headers.claims)),
  };
}

function parseClientQuery(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  const params = new URLSearchParams(value.startsWith('?') ? value.slice(1) : value);
  for (const name of new Set(params.keys())) out[name] = params.getAll(name).join(',');
  return out;
}

/** `type: value, type: value`; the extension keeps the first value of a repeated type. */
function parseClaims(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const part of value.split(',')) {
    const sep = part.indexOf(': ');
    if (sep < 0) continue;
    const type = part.slice(0, sep).trim();
    if (type !== '' && !(type in out)) out[type] = part.slice(sep + 2).trim();
  }
  return out;
}

function checkParameterNames(target: TriggerTarget, context: SignalRInvocationContext): void {
  const names = target.trigger['parameterNames'];
  if (!Array.isArray(names) || names.length === 0) return;
  const count = context.Arguments?.length ?? 0;
  if (names.length !== count) {
    throw new Error(`The function expects ${names.length} arguments (parameterNames) but the invocation has ${count}`);
  }
}

/** Binding data the host offers alongside the trigger value; `parameterNames` map onto the arguments. */
function triggerMetadata(target: TriggerTarget, context: SignalRInvocationContext) {
  const metadata: Record<string, ReturnType<typeof toTypedData> & object> = {};
  const put = (name: string, value: unknown) => {
    const data = toTypedData(value);
    if (data) metadata[name] = data;
  };
  put('ConnectionId', context.ConnectionId);
  put('UserId', context.UserId);
  put('Hub', context.Hub);
  put('Category', context.Category);
  put('Event', context.Event);
  put('Headers', context.Headers);
  put('Query', context.Query);
  put('Claims', context.Claims);
  put('Error', context.Error);
  const names = target.trigger['parameterNames'];
  if (Array.isArray(names)) names.forEach((name, i) => put(String(name), context.Arguments?.[i]));
  return metadata;
}

function frameMsgPackCompletion(completion: Record<string, unknown>): Buffer {
  const id = completion['invocationId'];
  const payload =
    'error' in completion
      ? [COMPLETION_MESSAGE, {}, id, 1, completion['error']]
      : [COMPLETION_MESSAGE, {}, id, 3, completion['result'] ?? null];
  const bytes = Buffer.from(encodeMsgPack(payload));
  // VarInt length prefix: 7 bits per byte, low group first, high bit = more follows.
  const prefix: number[] = [];
  let length = bytes.length;
  do {
    let byte = length & 0x7f;
    length >>>= 7;
    if (length > 0) byte |= 0x80;
    prefix.push(byte);
  } while (length > 0);
  return Buffer.concat([Buffer.from(prefix), bytes]);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
