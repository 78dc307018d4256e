/**
 * The one error boundary of every HTTP function: the steps a handler takes (`requireUser`,
 * `requireJson`, `checked`, `requireMember`, `readJsonObject`) throw {@link HttpError} for the
 * caller's mistakes, and storage throws {@link StorageUnavailableError} when it is down and
 * {@link StorageBusyError} when a row is written faster than it can take (503 with `Retry-After`,
 * never a 500). They become
 * the shared JSON error shape here, so no stack trace reaches a client.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { StorageBusyError, StorageUnavailableError } from '../storage/tables';
import { HttpError, serviceUnavailable } from './responses';

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function withErrors(handler: HttpHandler): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (err) {
      if (err instanceof HttpError) return err.response;
      if (err instanceof StorageBusyError) {
        // Past capacity, not broken: the client waits as told and sends the same request again.
        context.warn(`${context.functionName}: ${err.message}`);
        return serviceUnavailable('Hubbub is busy; nothing was saved. Try again shortly.', err.retryAfterSeconds);
      }
      if (err instanceof StorageUnavailableError) {
        context.error(`${context.functionName}: ${err.message}`);
        return serviceUnavailable('Message storage is unavailable; nothing was saved. Try again shortly.');
      }
      throw err;
    }
  };
}
