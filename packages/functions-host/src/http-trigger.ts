/**
 * HTTP triggers: the incoming request becomes the worker protocol's `RpcHttpData` (raw body bytes
 * kept), the function runs with its bindings, and its `HttpResponse` goes back on the wire.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import type { HostContext } from './bindings/binding';
import { MissingBindingDataError } from './bindings/binding-expressions';
import { BindingError, RETURN_BINDING } from './executor';
import type { HttpFunction } from './function-index';
import { readBody, sendError } from './http-io';
import type { RpcHttpCookie, RpcHttpData } from './worker/core-types';

export interface HttpInvocation {
  readonly host: HostContext;
  readonly target: HttpFunction;
  readonly params: Record<string, string>;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Request headers after the platform's identity headers were stripped and injected. */
  readonly headers: IncomingHttpHeaders;
  readonly fetch?: typeof fetch;
  /** Request body limit in bytes (default MAX_REQUEST_BODY_BYTES). */
  readonly maxBodyBytes?: number;
}

/** Runs the function and writes its response; returns the function's invocation id for the request log. */
export async function invokeHttpFunction(call: HttpInvocation): Promise<string | undefined> {
  const { target, req, res, url } = call;
  const body = await readBody(req, call.maxBodyBytes);
  const headers = flattenHeaders(call.headers);
  const http: RpcHttpData = {
    method: req.method ?? 'GET',
    url: url.toString(),
    headers,
    params: call.params,
    body: body.length > 0 ? { bytes: body } : undefined,
  };
  const invocationId = randomUUID();
  let result;
  try {
    result = await call.host.execute({
      invocationId,
      fn: target.fn,
      triggerName: target.triggerName,
      triggerData: { http },
      bindingData: { headers, query: url.searchParams, params: call.params },
      fetch: call.fetch,
    });
  } catch (err) {
    reportFailure(call, err, invocationId);
    return undefined;
  }
  const response = httpResponseOf(target, result.response.returnValue?.http, result.outputs);
  writeHttpResponse(res, response);
  return result.invocationId;
}

function reportFailure(call: HttpInvocation, err: unknown, invocationId: string): void {
  const { target, res } = call;
  const { log } = call.host;
  const name = target.fn.name;
  if (err instanceof MissingBindingDataError) {
    if (err.property.toLowerCase().startsWith('x-ms-client-principal')) {
      // Stands in for App Service Authentication's "Return 401 for unauthenticated requests":
      // in Azure such a request never reaches a function whose bindings need the principal.
      sendError(res, 401, 'unauthenticated', 'Sign in first');
      return;
    }
    log(`[${name}] Executed 'Functions.${name}' (Failed, Id=${invocationId}): ${err.message}`);
    sendError(res, 500, 'internal', err.message);
    return;
  }
  const error = err instanceof Error ? err : new Error(String(err));
  const detail = error instanceof BindingError ? error.message : (error.stack ?? error.message);
  log(`[${name}] Executed 'Functions.${name}' (Failed, Id=${invocationId}): ${detail}`);
  // The message names the function, never the error: it may hold internals.
  sendError(res, 500, 'internal', `Exception while executing function: Functions.${name}`);
}

/** Multi-valued headers arrive joined, as the host passes them to the worker. */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(key === 'cookie' ? '; ' : ', ') : value;
  }
  return out;
}

function httpResponseOf(
  target: HttpFunction,
  returned: RpcHttpData | null | undefined,
  outputs: ReadonlyMap<string, unknown>,
): RpcHttpData | undefined {
  for (const [name, binding] of Object.entries(target.fn.bindings)) {
    if (binding.direction !== 'out' || String(binding.type).toLowerCase() !== 'http') continue;
    if (name === RETURN_BINDING) return returned ?? undefined;
    const value = outputs.get(name);
    if (value && typeof value === 'object') return value;
  }
  return undefined;
}

export function writeHttpResponse(res: ServerResponse, response: RpcHttpData | undefined): void {
  if (!response) {
    // A handler that returns nothing: the host answers 204 No Content.
    res.writeHead(204);
    res.end();
    return;
  }
  const status = Number(response.statusCode ?? 200) || 200;
  for (const [key, value] of Object.entries(response.headers ?? {})) {
    try {
      res.setHeader(key, value);
    } catch {
      // An invalid header from the handler is dropped rather than failing the whole response.
    }
  }
  const cookies = (response.cookies ?? []).map(formatCookie);
  if (cookies.length > 0) {
    const existing = res.getHeader('set-cookie');
    const prior = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    res.setHeader('set-cookie', [...prior, ...cookies]);
  }
  const body = bodyBytes(response);
  const noBody = status === 204 || status === 304 || (status >= 100 && status < 200) || res.req.method === 'HEAD';
  if (!noBody) res.setHeader('content-length', body.length);
  res.writeHead(status);
  res.end(noBody ? undefined : body);
}

function bodyBytes(response: RpcHttpData): Buffer {
  const body = response.body;
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes);
  if (typeof body.string === 'string') return Buffer.from(body.string, 'utf8');
  if (typeof body.json === 'string') return Buffer.from(body.json, 'utf8');
  return Buffer.alloc(0);
}

/** RFC 6265 `Set-Cookie` from the worker's cookie shape. */
export function formatCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const expires = cookie.expires?.value;
  if (expires && typeof expires.seconds === 'number') {
    parts.push(`Expires=${new Date(expires.seconds * 1000 + Math.floor((expires.nanos ?? 0) / 1e6)).toUTCString()}`);
  }
  if (typeof cookie.maxAge?.value === 'number') parts.push(`Max-Age=${Math.trunc(cookie.maxAge.value)}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  if (cookie.sameSite === 'lax') parts.push('SameSite=Lax');
  else if (cookie.sameSite === 'strict') parts.push('SameSite=Strict');
  else if (cookie.sameSite === 'explicitNone') parts.push('SameSite=None');
  return parts.join('; ');
}
