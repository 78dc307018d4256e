/**
 * spa: serves the built Angular app from the Function App itself, so the SPA, `/api` and the
 * platform's `/.auth` share one origin and sign-in cookies need no third-party cookie support.
 * Hashed build files are cached for a year; index.html is always revalidated. Every answer carries
 * the security headers (platform/http/security-headers.ts); the app shell gets a
 * Content-Security-Policy with a nonce of its own, written over the placeholder the build left in
 * index.html.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { contentType } from 'mime-types';

import { errorResponse } from './platform/http/responses';
import { newNonce, NONCE_PLACEHOLDER, securityHeaders } from './platform/http/security-headers';
import { withErrors } from './platform/http/with-errors';

/** dist/spa/browser beside dist/functions, both locally and in the deployment package. */
export const SPA_ROOT = resolve(__dirname, '../spa/browser');

const HTML = 'text/html; charset=utf-8';
const HASHED = /[-.][A-Z0-9]{8,}\.(js|mjs|css|woff2|png|svg)$/i;

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
  const asset = extname(path) !== '' ? await readIfFile(file) : undefined;
  if (asset) {
    return {
      status: 200,
      body: asset,
      headers: {
        'content-type': contentType(extname(file)) || 'application/octet-stream',
        'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...securityHeaders(request),
      },
    };
  }
  if (extname(path) !== '') return errorResponse(404, 'not_found', `No file /${path}`);
  // Any other path is a client-side route: answer the app shell.
  const index = await readIfFile(join(root, 'index.html'));
  if (!index) {
    return errorResponse(404, 'not_found', 'The web app is not built: run npm run build:spa');
  }
  const nonce = newNonce();
  return {
    status: 200,
    body: index.toString('utf8').replaceAll(NONCE_PLACEHOLDER, nonce),
    headers: {
      'content-type': HTML,
      'cache-control': 'no-cache',
      ...securityHeaders(request, nonce),
    },
  };
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
