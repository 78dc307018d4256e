/**
 * Serves a built SPA from a folder, same-origin with the API (DESIGN §7), with the single-page-app
 * fallback: any GET that names no file gets index.html so client-side routes survive a reload.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { sendError } from './http-io';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL, root: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, 405, 'method_not_allowed', 'Static files are read-only', { allow: 'GET, HEAD' });
    return;
  }
  const base = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    sendError(res, 400, 'bad_request', 'Malformed path');
    return;
  }
  const candidate = resolve(join(base, normalize(decoded)));
  // Never leave the folder, whatever `..` or encoded separators the path holds.
  const inside = candidate === base || candidate.startsWith(base + sep);
  let file = inside ? await fileAt(candidate) : undefined;
  // Client-side routes have no extension; a missing asset (`/x.js`) stays a 404 unless a page was asked for.
  const wantsPage = extname(decoded) === '' || String(req.headers.accept ?? '').includes('text/html');
  if (!file && wantsPage) file = await fileAt(join(base, 'index.html'));
  if (!file) {
    sendError(res, 404, 'not_found', 'No such file');
    return;
  }
  const isIndex = file.path.endsWith(`${sep}index.html`);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'content-length': file.size,
    // Hashed bundles may be cached; index.html must be revalidated so new builds show up.
    'cache-control': isIndex ? 'no-cache' : 'public, max-age=0',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // pipeline, not pipe: a read error (the file replaced by a rebuild after stat) must end this
  // response rather than throw an unhandled 'error' that takes the host down, and a client that
  // goes away must close the file rather than leave it open.
  pipeline(createReadStream(file.path), res, () => undefined);
}

async function fileAt(path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const info = await stat(path);
    if (info.isFile()) return { path, size: info.size };
    if (info.isDirectory()) {
      const index = join(path, 'index.html');
      const indexInfo = await stat(index);
      if (indexInfo.isFile()) return { path: index, size: indexInfo.size };
    }
  } catch {
    // missing: fall back
  }
  return undefined;
}
