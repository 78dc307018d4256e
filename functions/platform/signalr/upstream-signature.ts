/**
 * Checks that an upstream request comes from our SignalR Service: the service signs the
 * `X-ASRS-Connection-Id` with each of its access keys and sends `sha256=<hex>` values,
 * comma-separated, in `X-ASRS-Signature` (learn.microsoft.com/azure/azure-signalr/concept-upstream#signature).
 * The signalRTrigger extension does this check for its own webhook; an HTTP-triggered upstream
 * endpoint has to do it itself.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `AccessKey` of an `Endpoint=…;AccessKey=…;Version=1.0;` connection string, if it has one. */
export function accessKeyOf(connectionString: string | undefined): string | undefined {
  for (const part of (connectionString ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim().toLowerCase() === 'accesskey') {
      const key = part.slice(eq + 1).trim();
      return key === '' ? undefined : key;
    }
  }
  return undefined;
}

/** `sha256=<lower-case hex HMAC-SHA256(UTF-8 access key, UTF-8 connection id)>`. */
export function signatureFor(connectionId: string, accessKey: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(accessKey, 'utf8')).update(connectionId, 'utf8').digest('hex')}`;
}

/**
 * True when one of the header's comma-separated signatures matches one of the keys (hex case
 * ignored). Every candidate is compared in constant time, so the time taken tells nothing about
 * how much of a forged signature was right.
 */
export function upstreamSignatureValid(
  header: string | null | undefined,
  connectionId: string,
  accessKeys: readonly string[],
): boolean {
  if (!header || connectionId === '' || accessKeys.length === 0) return false;
  const expected = accessKeys.map((key) => Buffer.from(signatureFor(connectionId, key), 'utf8'));
  let valid = false;
  for (const candidate of header.split(',')) {
    const given = Buffer.from(candidate.trim().toLowerCase(), 'utf8');
    for (const wanted of expected) {
      if (given.length === wanted.length && timingSafeEqual(given, wanted)) valid = true;
    }
  }
  return valid;
}
