/** Calls a handler the way its registration does (through withErrors) and returns what a client and the SignalR binding would see. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { negotiate } from '../negotiate';
import type { Principal } from '../platform/http/identity';
import { withErrors } from '../platform/http/with-errors';
import { connectionInfo, signalROut } from '../platform/signalr/signalr';
import { invocation, request, type RequestOptions } from './requests';

export interface Called<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: HttpResponseInit['headers'];
  /** What the function handed the SignalR output binding, if anything. */
  readonly outputs: unknown[] | undefined;
}

export async function call<T = Record<string, unknown>>(
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
    outputs: context.extraOutputs.get(signalROut) as unknown[] | undefined,
  };
}

/** Signs a person in as the SPA does first (negotiate records them, so others can find them). */
export async function signIn(user: Principal): Promise<void> {
  const context = invocation('negotiate');
  context.extraInputs.set(connectionInfo, { url: 'http://localhost:8888/client/?hub=chat', accessToken: 't' });
  const response = await withErrors(negotiate)(request('POST', 'negotiate', { user }), context);
  if (response.status !== 200) throw new Error(`negotiate answered ${response.status}`);
}
