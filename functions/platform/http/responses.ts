/** One JSON error shape for every function: `{ error: { code, message } }` plus the status. */
import type { HttpResponseInit } from '@azure/functions';

import type { ErrorBody, ErrorCode } from '../../../contract';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status,
    jsonBody: body,
    headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers },
  };
}

export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): HttpResponseInit {
  const body: ErrorBody = { error: { code, message } };
  return json(status, body, headers);
}

export const badRequest = (message: string): HttpResponseInit => errorResponse(400, 'validation_failed', message);
export const unauthorized = (): HttpResponseInit => errorResponse(401, 'unauthenticated', 'Sign in first');
export const forbidden = (message: string): HttpResponseInit => errorResponse(403, 'forbidden', message);
export const notFound = (message: string): HttpResponseInit => errorResponse(404, 'not_found', message);
export const conflict = (message: string): HttpResponseInit => errorResponse(409, 'conflict', message);
export const tooManyRequests = (retryAfterSeconds: number): HttpResponseInit =>
  errorResponse(429, 'rate_limited', `You are sending too fast; try again in ${retryAfterSeconds} s`, {
    'retry-after': String(retryAfterSeconds),
  });
export const serviceUnavailable = (
  message = 'A service Hubbub depends on is unavailable; try again shortly',
  retryAfterSeconds = 5,
) => errorResponse(503, 'service_unavailable', message, { 'retry-after': String(retryAfterSeconds) });

/** Thrown by the request steps (readJsonObject, requireJson, checked, …); withErrors answers it with its response. */
export class HttpError extends Error {
  constructor(readonly response: HttpResponseInit) {
    super(typeof response.jsonBody === 'object' ? JSON.stringify(response.jsonBody) : 'HTTP error');
  }
}
