/**
 * The one error boundary of every HTTP function: the steps a handler takes (`requireUser`,
 * `requireJson`, `checked`, `requireMember`, `readJsonObject`) throw {@link HttpError} for the
 * caller's mistakes, and storage throws {@link StorageUnavailableError} when it is down. Both become
 * the shared JSON error shape here, so no stack trace reaches a client.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

import { StorageUnavailableError } from '../storage/tables';
import { HttpError, serviceUnavailable } from './responses';

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function withErrors(handler: HttpHandler): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
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
