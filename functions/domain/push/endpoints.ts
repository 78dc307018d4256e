/**
 * The push services Hubbub posts to: an endpoint is stored, and later called, only when its origin
 * is on the allow-list (DEFAULT_PUSH_ENDPOINT_ORIGINS, or `HUBBUB_PUSH_ENDPOINT_ORIGINS`, which
 * replaces it: comma-separated origins), so the app never posts to an address a client chose
 * (cloud metadata, private ranges, its own loopback). `https` only, unless the setting names an
 * `http` origin (tests point it at a local receiver).
 */
import { DEFAULT_PUSH_ENDPOINT_ORIGINS } from '../../../contract';

export const PUSH_ORIGINS_SETTING = 'HUBBUB_PUSH_ENDPOINT_ORIGINS';

/** The allowed origins, read each time (a changed setting holds without a restart). */
export function allowedPushOrigins(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const setting = env[PUSH_ORIGINS_SETTING]?.trim();
  if (!setting) return DEFAULT_PUSH_ENDPOINT_ORIGINS;
  return setting
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .flatMap((entry) => {
      try {
        const url = new URL(entry);
        return url.protocol === 'https:' || url.protocol === 'http:' ? [url.origin] : [];
      } catch {
        return [];
      }
    });
}

/** Why the endpoint is refused (a sentence for the 400), or undefined when Hubbub may post to it. */
export function endpointRefusal(endpoint: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'endpoint must be a URL';
  }
  if (url.username || url.password) return 'endpoint must not carry a user name or password';
  const origins = allowedPushOrigins(env);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && origins.includes(url.origin))) {
    return 'endpoint must be an https URL of a push service';
  }
  if (!origins.includes(url.origin)) {
    return `endpoint must be on a push service Hubbub posts to (${origins.join(', ')}), not ${url.origin}`;
  }
  return undefined;
}
