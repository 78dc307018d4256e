/** Builds requests the way the platform delivers them: App Service principal headers when signed in. */
import { HttpRequest, InvocationContext } from '@azure/functions';

import type { Principal } from '../platform/http/identity';
import { signalROut } from '../platform/signalr/signalr';

export const alice: Principal = { id: 'dev-a11ce00000000000', name: 'Alice' };
export const bob: Principal = { id: 'dev-b0b0000000000000', name: 'Bob' };
export const carol: Principal = { id: 'dev-ca201000000000000', name: 'Carol' };

export function principalHeaders(user: Principal): Record<string, string> {
  const claims = [
    { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', val: user.id },
    { typ: 'name', val: user.name },
  ];
  const principal = { auth_typ: 'dev', name_typ: 'name', role_typ: 'roles', claims };
  return {
    'x-ms-client-principal-id': user.id,
    'x-ms-client-principal-name': user.name,
    'x-ms-client-principal-idp': 'dev',
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64'),
  };
}

export interface RequestOptions {
  readonly user?: Principal;
  readonly body?: unknown;
  /** A raw body string, sent as is (for malformed input). */
  readonly rawBody?: string;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
}

export function request(method: string, path: string, options: RequestOptions = {}): HttpRequest {
  const url = new URL(`http://localhost:7071/api/${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const raw = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new HttpRequest({
    method,
    url: url.toString(),
    headers: {
      ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      ...(options.user ? principalHeaders(options.user) : {}),
      ...options.headers,
    },
    params: options.params ?? {},
    body: raw === undefined ? undefined : { string: raw },
  });
}

export function invocation(functionName: string): InvocationContext {
  return new InvocationContext({ functionName, invocationId: `test-${functionName}`, logHandler: () => undefined });
}

/**
 * The SignalR output of a `connected` invocation that concerns `userId`: its group actions and its
 * own presence announcement. A `connected` may also carry the presence sweep's offline
 * announcements of anyone whose connection went stale, and every suite shares one Azurite, so
 * those belong to whichever suite left them and are left out here.
 */
export function connectedOutputFor(context: InvocationContext, userId: string): unknown[] | undefined {
  const outputs = context.extraOutputs.get(signalROut) as
    { target?: string; arguments?: { user?: { id?: string } }[] }[] | undefined;
  return outputs?.filter((action) => action.target !== 'presence' || action.arguments?.[0]?.user?.id === userId);
}
