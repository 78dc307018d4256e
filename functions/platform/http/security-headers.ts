/**
 * Browser hardening for everything the Function App serves (docs/security.md#what-the-browser-is-told): the app shell's
 * Content-Security-Policy with a per-response nonce, framing refused, no MIME sniffing, no referrer,
 * no camera/microphone/geolocation, and HSTS when the request came over HTTPS (in Azure).
 */
import { randomBytes } from 'node:crypto';

import type { HttpRequest } from '@azure/functions';

import { CONNECTION_SETTING } from '../signalr/signalr';
import { blobEndpoint } from '../storage/blobs';

/** The placeholder src/index.html carries (`ngCspNonce`, and the build copies it onto its tags). */
export const NONCE_PLACEHOLDER = 'HUBBUB_CSP_NONCE';

/** Two years, as hstspreload.org asks; sent only over HTTPS, where browsers honour it. */
const HSTS = 'max-age=63072000; includeSubDomains';

/** Headers every response (files, app shell, API) can carry. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Nothing leaks to other sites. Not `no-referrer`: under it browsers send `Origin: null` on
  // same-origin POSTs, and the dev login (and any Origin check) must see our own origin.
  'referrer-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** 128 random bits, base64: fresh for each app shell response. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The SignalR client endpoint's origins, HTTP and WebSocket, from the connection string
 * (`ClientEndpoint` if given, else `Endpoint` with `Port`); empty when the setting is missing or
 * unreadable, which leaves the app unable to connect rather than the policy open.
 */
export function signalROrigins(connectionString: string | undefined): string[] {
  if (!connectionString) return [];
  const props = new Map<string, string>();
  for (const segment of connectionString.split(';')) {
    const eq = segment.indexOf('=');
    if (eq > 0) props.set(segment.slice(0, eq).trim().toLowerCase(), segment.slice(eq + 1).trim());
  }
  const client = props.get('clientendpoint');
  let url: URL;
  try {
    url = new URL(client ?? props.get('endpoint') ?? '');
  } catch {
    return [];
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
  const port = props.get('port');
  if (!client && port && /^\d{1,5}$/.test(port)) url.port = port;
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${ws}//${url.host}`];
}

/**
 * The origin of the blob service (attachments: the browser PUTs uploads and loads images, video
 * and audio there with SAS URLs), from the configured endpoint; empty when there is none or it is not http(s).
 */
export function blobOrigins(endpoint: string | undefined): string[] {
  if (!endpoint) return [];
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' || url.protocol === 'https:' ? [url.origin] : [];
  } catch {
    return [];
  }
}

/**
 * The app shell's policy. Scripts: only our own files (the build inlines none: angular.json turns
 * off critical-CSS inlining, whose loader is an inline script). Styles: our stylesheet plus the
 * `<style>` elements Angular adds for component styles at runtime, which carry the nonce Angular
 * reads from `ngCspNonce` on the root element.
 */
export function contentSecurityPolicy(
  nonce: string,
  connectOrigins: readonly string[],
  attachmentOrigins: readonly string[] = [],
): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    ["connect-src 'self'", ...connectOrigins].join(' '),
    ["img-src 'self' data: blob:", ...attachmentOrigins].join(' '),
    // Video and audio attachments play from the same blob service as images.
    ["media-src 'self' blob:", ...attachmentOrigins].join(' '),
    "font-src 'self'",
    // The service worker (sw.js) and the web app manifest: our own files only.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** True when the browser reached us over HTTPS (App Service terminates TLS and says so in headers). */
export function requestIsHttps(request: HttpRequest): boolean {
  if (request.url.startsWith('https:')) return true;
  const proto = request.headers.get('x-forwarded-proto');
  if (proto && proto.split(',')[0].trim().toLowerCase() === 'https') return true;
  return request.headers.get('x-arr-ssl') !== null;
}

/** Headers for a file or the app shell; `nonce` only for the shell, which gets the policy. */
export function securityHeaders(request: HttpRequest, nonce?: string): Record<string, string> {
  const headers: Record<string, string> = { ...BASE_SECURITY_HEADERS };
  if (nonce !== undefined) {
    const blob = blobOrigins(blobEndpoint());
    headers['content-security-policy'] = contentSecurityPolicy(
      nonce,
      [...signalROrigins(process.env[CONNECTION_SETTING]), ...blob],
      blob,
    );
  }
  if (requestIsHttps(request)) headers['strict-transport-security'] = HSTS;
  return headers;
}
