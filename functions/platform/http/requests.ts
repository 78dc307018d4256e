/**
 * The steps a handler takes on its request: each answers the value it checked or throws
 * {@link HttpError} with the response (withErrors answers it).
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { GenericSchema, InferOutput } from 'valibot';

import { check, type ListQuery, ListQuerySchema, MAX_BODY_BYTES } from '../../../contract';
import { StorageUnavailableError } from '../storage/tables';
import { badRequest, errorResponse, HttpError } from './responses';

/**
 * Refuses (415) a change not sent as JSON. A cross-site form can post text/plain with the user's
 * cookie but cannot send JSON without a CORS preflight: requiring JSON on every change is the CSRF
 * defence, so every POST handler takes this step, bodiless or not.
 */
export function requireJson(request: HttpRequest): void {
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
    throw new HttpError(
      errorResponse(415, 'unsupported_media_type', 'Send the request as Content-Type: application/json'),
    );
  }
}

/** The value `schema` makes of `value`, or a 400 with the schema's first message. */
export function checked<S extends GenericSchema>(schema: S, value: unknown): InferOutput<S> {
  const result = check(schema, value);
  if (!result.ok) throw new HttpError(badRequest(result.message));
  return result.value;
}

/**
 * Reads a JSON object body, refusing oversized (413) and malformed (400) bodies with the shared
 * error shape rather than letting the parser's error escape.
 */
export async function readJsonObject(request: HttpRequest): Promise<Record<string, unknown>> {
  return parseJsonObject(await bodyBytes(request));
}

/** {@link readJsonObject}, but an empty body is `{}` (a route whose body older clients leave out). */
export async function readOptionalJsonObject(request: HttpRequest): Promise<Record<string, unknown>> {
  const bytes = await bodyBytes(request);
  return bytes.length === 0 ? {} : parseJsonObject(bytes);
}

async function bodyBytes(request: HttpRequest): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new HttpError(tooLarge());
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) throw new HttpError(tooLarge());
  return bytes;
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpError(errorResponse(400, 'malformed_json', 'The body is not valid JSON'));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(badRequest('The body must be a JSON object'));
  }
  return value as Record<string, unknown>;
}

function tooLarge(): HttpResponseInit {
  return errorResponse(413, 'payload_too_large', `The body must be at most ${MAX_BODY_BYTES / 1024} KB`);
}

/** The `query`, `cursor` and `limit` of a paged list's URL, checked (400 when out of range). */
export function listQuery(request: HttpRequest): ListQuery {
  const value: Record<string, string> = {};
  for (const name of ['query', 'cursor', 'limit']) {
    const given = request.query.get(name);
    if (given !== null && given !== '') value[name] = given;
  }
  return checked(ListQuerySchema, value);
}

/** Runs a listing; a cursor storage cannot read (made up, or from another list) is a 400, not a 500. */
export async function pagedByCursor<T>(cursor: string | undefined, list: () => Promise<T>): Promise<T> {
  try {
    return await list();
  } catch (err) {
    if (cursor === undefined || err instanceof HttpError || err instanceof StorageUnavailableError) throw err;
    throw new HttpError(badRequest('cursor is not one this server gave'));
  }
}
