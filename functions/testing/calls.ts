/** Calls a handler the way its registration does (through withErrors) and returns what a client and the SignalR binding would see. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { signalROut } from '../lib/signalr';
import { withErrors } from '../lib/with-errors';
import { invocation, request, type RequestOptions } from './requests';

export interface Called<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: HttpResponseInit['headers'];
  /** What the function handed the SignalR output binding, if anything. */
  readonly signalR: unknown[] | undefined;
}

export async function call<T = unknown>(
  handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Called<T>> {
  const context = invocation(handler.name || 'test');
  const response = await withErrors(handler)(request(method, path, options), context);
  return {
    status: response.status ?? 200,
    body: response.jsonBody as T,
    headers: response.headers,
    signalR: context.extraOutputs.get(signalROut) as unknown[] | undefined,
  };
}
