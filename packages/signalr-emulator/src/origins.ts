/**
 * Which web pages may use the client endpoint. A browser always names the page's origin on a
 * cross-origin request and on every WebSocket handshake, so checking `Origin` keeps an arbitrary
 * site the developer visits from connecting (or negotiating) as anyone. Clients without an Origin
 * (Node's @microsoft/signalr, the bench, curl) are not browsers and are let through: they could
 * forge any header anyway, and the access key is what stops them.
 */

/** Loopback pages on any port: `ng serve`, the Functions host serving the SPA, the e2e stack. */
export const LOOPBACK_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'] as const;

/** Hosts that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/**
 * True when `origin` matches an entry: exact (`https://chat.example`), any port (`http://host:*`),
 * or `*` for every origin. Scheme and host compare case-insensitively.
 */
export function originAllowed(origin: string | undefined, allowList: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowList.includes('*')) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, file: pages) and garbage
  }
  if (url.origin === 'null') return false;
  const given = url.origin.toLowerCase();
  for (const entry of allowList) {
    const lower = entry.toLowerCase().replace(/\/+$/, '');
    if (lower.endsWith(':*')) {
      const base = lower.slice(0, -2);
      if (`${url.protocol}//${url.hostname}` === base) return true;
    } else if (given === lower) {
      return true;
    }
  }
  return false;
}

/** `a, b c` → ['a', 'b', 'c']; each must be an origin or origin with `:*`, or `*`. */
export function parseOrigins(value: string): string[] {
  const origins = value
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    const probe = origin.endsWith(':*') ? `${origin.slice(0, -2)}:1` : origin;
    let url: URL;
    try {
      url = new URL(probe);
    } catch {
      throw new Error(`"${origin}" is not an origin (scheme://host[:port], or :* for any port)`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '') {
      throw new Error(`"${origin}" is not an http(s) origin`);
    }
  }
  return origins;
}
