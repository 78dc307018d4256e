/** Small helpers for the host's own responses and for reading request bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The local host's request body limit unless `FUNCTIONS_REQUEST_BODY_SIZE_LIMIT` (bytes, the
 * Azure setting's name) or `maxBodyBytes` says otherwise. Azure's default is 100 MB; locally any
 * page or process can post, so the default stays small: the app's own bodies are at most 16 KB.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
export const BODY_LIMIT_SETTING = 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT';

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** The app's one error shape (docs/wire-contract.md): `{ error: { code, message } }`, never a stack trace. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    // The pages are static markup with no script; forbid everything else.
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Not no-referrer: that makes the login form's own POST carry `Origin: null`, which is refused.
    'referrer-policy': 'same-origin',
  });
  res.end(res.req.method === 'HEAD' ? undefined : html);
}

/** A 302 to `location`, which is percent-encoded where a header could not carry it (encodeRedirectPath). */
export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, {
    ...headers,
    location: encodeRedirectPath(location),
    'content-length': 0,
    'cache-control': 'no-store',
  });
  res.end();
}

/**
 * Reads the whole body, refusing more than `limit` bytes with 413 as the Functions host does: at
 * once from `Content-Length`, without reading a byte, else as soon as the count passes the limit.
 * Either way the connection is closed, so the rest of the upload is never read.
 */
export async function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const tooLarge = () =>
    new HttpFailure(413, 'payload_too_large', `Request bodies are limited to ${limit} bytes`, { connection: 'close' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw tooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** The body limit from the app setting, else the local default; a bad value is a startup error. */
export function bodyLimitFrom(value: string | undefined, fallback = MAX_REQUEST_BODY_BYTES): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${BODY_LIMIT_SETTING} "${value}" is not a number of bytes`);
  return n;
}

/** True when a redirect parameter was given but is not a same-origin path: the caller answers 400. */
export function unsafeRedirect(value: string | null | undefined): boolean {
  return value !== null && value !== undefined && value !== '' && !isSameSitePath(value);
}

const HOST_HEADER =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Why a request's target or Host header is unacceptable, or undefined when both are fine. Only
 * origin-form targets (`/path?query`) are served: `//host`, absolute-form, `*`, backslashes,
 * undecodable percent-escapes and `..` segments (also encoded) answer 400 before any routing.
 */
export function badRequestTarget(rawUrl: string | undefined, host: string | undefined): string | undefined {
  if (host === undefined || !HOST_HEADER.test(host)) return 'The Host header is missing or malformed';
  const target = rawUrl ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return 'The request target must be a path';
  const path = target.split(/[?#]/, 1)[0];
  if (path.includes('\\')) return 'The request path contains a backslash';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'The request path has a malformed percent-escape';
  }
  if (decoded.split(/[/\\]/).some((segment) => segment === '..')) return 'The request path climbs out of the site';
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return 'The request path contains control characters';
  return undefined;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Only same-origin relative paths (`/x`), never `//host` or `/\host`, which browsers treat as other
 * origins, and no backslash or control character anywhere. Judged on the text as given, before encoding.
 */
function isSameSitePath(value: string): boolean {
  return (
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.startsWith('/\\') &&
    !/[\u0000-\u001f\u007f-\u009f\\]/.test(value)
  );
}

/**
 * A same-site redirect path ready for a `Location` header and an HTML attribute, else `fallback`.
 * Characters outside printable ASCII are percent-encoded as UTF-8 (encodeRedirectPath), so
 * `/rooms/日本` answers `/rooms/%E6%97%A5%E6%9C%AC` instead of failing to write the header.
 */
export function safeRedirectPath(value: string | null | undefined, fallback = '/'): string {
  if (!value || !isSameSitePath(value)) return fallback;
  return encodeRedirectPath(value);
}

/**
 * Percent-encodes, as UTF-8, every character outside printable ASCII (the space included), as a
 * browser does when it follows such a link: a header value must be ASCII (Node refuses anything
 * past Latin-1 and sends Latin-1 as raw bytes no browser reads as UTF-8). `%XX` escapes already
 * there and ASCII punctuation stay as they are, so encoding twice changes nothing. A lone
 * surrogate becomes U+FFFD.
 */
export function encodeRedirectPath(value: string): string {
  return value.replace(/[^\u0021-\u007e]/gu, (c) =>
    [...Buffer.from(c, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
