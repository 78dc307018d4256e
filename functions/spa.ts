/**
 * spa: serves the built Angular app from the Function App itself, so the SPA, `/api` and the
 * platform's `/.auth` share one origin and sign-in cookies need no third-party cookie support.
 *
 * Azure Functions does not compress, so files are answered from the brotli or gzip copies the build
 * wrote, by `Accept-Encoding`, and cached and revalidated as docs/architecture.md ("How the `spa`
 * function serves the app") says. Every answer carries the security headers
 * (platform/http/security-headers.ts); the app shell gets a Content-Security-Policy with a nonce of
 * its own, written over the placeholder the build left in index.html. The service worker's script
 * (`sw.js`, docs/push-client.md) is never cached by HTTP, so a deployment reaches it at the next
 * check, and runs under a policy of its own: it reaches nothing but this origin.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { contentType } from 'mime-types';
import Negotiator from 'negotiator';

import { errorResponse } from './platform/http/responses';
import { newNonce, NONCE_PLACEHOLDER, securityHeaders } from './platform/http/security-headers';
import { withErrors } from './platform/http/with-errors';

/** dist/spa/browser beside dist/functions, both locally and in the deployment package. */
export const SPA_ROOT = resolve(__dirname, '../spa/browser');

const HTML = 'text/html; charset=utf-8';
const HASHED = /[-.][A-Z0-9]{8,}\.(js|mjs|css|woff2|png|svg)$/i;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The service worker's script (local/build/service-worker.mjs writes it). */
const WORKER = 'sw.js';
const WORKER_POLICY = "default-src 'self'; script-src 'self'; object-src 'none'";

type Encoding = 'br' | 'gzip' | 'identity';
/** The copies the build writes, best first; `identity` is the file itself. */
const ENCODINGS: readonly Encoding[] = ['br', 'gzip', 'identity'];
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz', identity: '' };

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export async function spa(request: HttpRequest): Promise<HttpResponseInit> {
  return serveSpa(request, SPA_ROOT);
}

/** The file or app shell for the request's path under `root` (tests pass a folder of their own). */
export async function serveSpa(request: HttpRequest, root: string): Promise<HttpResponseInit> {
  const path = decodePath(request.params['path'] ?? '');
  if (path === undefined) return errorResponse(400, 'validation_failed', 'Bad path');
  if (path === 'api' || path.startsWith('api/')) return errorResponse(404, 'not_found', `No API route /${path}`);
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return errorResponse(404, 'not_found', 'Not found');
  const accepted = acceptedEncodings(request);
  if (extname(path) !== '') {
    const asset = await readAsset(file, accepted);
    if (!asset) return errorResponse(404, 'not_found', `No file /${path}`);
    const hashed = HASHED.test(file);
    const headers: Record<string, string> = {
      'content-type': contentType(extname(file)) || 'application/octet-stream',
      'cache-control': hashed ? IMMUTABLE : 'no-cache',
      vary: 'Accept-Encoding',
      etag: asset.etag,
      ...(asset.encoding === 'identity' ? {} : { 'content-encoding': asset.encoding }),
      ...securityHeaders(request),
      ...(path === WORKER && { 'content-security-policy': WORKER_POLICY }),
    };
    if (!hashed && matches(request, asset.etag)) return notModified(headers);
    return { status: 200, body: asset.body, headers };
  }
  // Any other path is a client-side route: answer the app shell.
  const index = await readIfFile(join(root, 'index.html'));
  if (!index) {
    return errorResponse(404, 'not_found', 'The web app is not built: run npm run build:spa');
  }
  // A client that refuses even identity still gets the shell: an unreadable page helps nobody.
  const encoding = accepted[0] ?? 'identity';
  const etag = `"${digest(index)}-${encoding}"`;
  const common = { 'cache-control': 'no-cache', vary: 'Accept-Encoding', etag };
  if (matches(request, etag)) return notModified(common);
  const nonce = newNonce();
  const html = Buffer.from(index.toString('utf8').replaceAll(NONCE_PLACEHOLDER, nonce));
  return {
    status: 200,
    body: await compress(html, encoding),
    headers: {
      'content-type': HTML,
      ...common,
      ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
      ...securityHeaders(request, nonce),
    },
  };
}

/** The encodings we have that the request accepts, best first (ours decides between equals). */
function acceptedEncodings(request: HttpRequest): Encoding[] {
  const accept = request.headers.get('accept-encoding');
  // negotiator's typings (0.6) lack the `preferred` argument its 1.x code takes.
  const negotiator = new Negotiator({ headers: { 'accept-encoding': accept ?? undefined } }) as unknown as {
    encodings(available: readonly string[], options: { preferred: readonly string[] }): string[];
  };
  return negotiator.encodings(ENCODINGS, { preferred: ENCODINGS }) as Encoding[];
}

interface Asset {
  body: Buffer;
  encoding: Encoding;
  etag: string;
}

/** The best accepted copy of a file that exists; undefined when the file itself is missing. */
async function readAsset(file: string, accepted: readonly Encoding[]): Promise<Asset | undefined> {
  const original = await fileTag(file);
  if (!original) return undefined;
  for (const encoding of accepted) {
    const body = await readIfFile(file + SUFFIX[encoding]);
    if (body) return { body, encoding, etag: `"${original}-${encoding}"` };
  }
  // Nothing acceptable was written (say `Accept-Encoding: br;q=1, identity;q=0` for an image): the file as is.
  const body = await readIfFile(file);
  return body ? { body, encoding: 'identity', etag: `"${original}-identity"` } : undefined;
}

/** A validator for a file: its size and modification time, as static file servers use. */
async function fileTag(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? `${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}` : undefined;
  } catch {
    return undefined;
  }
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
}

function matches(request: HttpRequest, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

function notModified(headers: Record<string, string>): HttpResponseInit {
  const { 'content-type': _type, 'content-encoding': _encoding, ...rest } = headers;
  return { status: 304, headers: rest };
}

async function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  // The shell is a few kB and differs per response (its nonce): a fast level is enough.
  if (encoding === 'br') return brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  if (encoding === 'gzip') return gzipAsync(body, { level: 6 });
  return body;
}

function decodePath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
}

async function readIfFile(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

app.http('spa', {
  route: '{*path}',
  methods: ['GET', 'HEAD'],
  authLevel: 'anonymous',
  handler: withErrors(spa),
});
