/**
 * Wraps every HTTP handler: resolves the caller from the platform principal (401 without one) and
 * turns expected failures into the shared JSON error shape — bad bodies into 4xx, a storage
 * outage into 503 — so no handler repeats that plumbing and no stack trace reaches a client.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { HttpError, errorResponse, serviceUnavailable, unauthorized } from './http';
import { principalOf, type Principal } from './identity';
import { StorageUnavailableError } from './tables';

export type AuthenticatedHandler = (
  request: HttpRequest,
  context: InvocationContext,
  user: Principal,
) => Promise<HttpResponseInit>;

export type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function authenticated(handler: AuthenticatedHandler): Handler {
  return async (request, context) => {
    const user = principalOf(request);
    if (!user) return unauthorized();
    // A cross-site form can post text/plain with the user's cookie but cannot send JSON without a
    // CORS preflight: requiring JSON on every change is the CSRF defence.
    if (request.method !== 'GET' && request.method !== 'HEAD' && !isJson(request.headers.get('content-type'))) {
      return errorResponse(415, 'unsupported_media_type', 'Send the request as Content-Type: application/json');
    }
    try {
      return await handler(request, context, user);
    } catch (err) {
      if (err instanceof HttpError) return err.response;
      if (err instanceof StorageUnavailableError) {
        context.error(`${context.functionName}: ${err.message}`);
        return serviceUnavailable('Message storage is unavailable; nothing was saved. Try again shortly.');
      }
      throw err;
    }
  };
}

function isJson(contentType: string | null): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '');
}
