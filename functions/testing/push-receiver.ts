/**
 * A push service for tests (RFC 8030), on a free 127.0.0.1 port: it hands out subscriptions as a
 * browser would (a P-256 key pair and an auth secret per subscription), and for each push checks the
 * VAPID `Authorization: vapid t=<jwt>, k=<key>` (RFC 8292: an ES256 JWT signed by that key, `aud` the
 * endpoint's origin, `exp` within 24 hours, `sub` the configured contact), decrypts the `aes128gcm`
 * body with the subscription's private key and auth secret (RFC 8291, written here with node:crypto,
 * independently of the library under test), records it and answers the status the test chose.
 */
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPush {
  readonly subscription: string;
  /** What the receiver answered. */
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** The decrypted payload, parsed. */
  readonly payload: Record<string, unknown>;
  readonly jwt: { readonly aud: string; readonly exp: number; readonly sub: string };
}

export interface TestSubscription {
  readonly id: string;
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

interface Held {
  readonly ecdh: ECDH;
  readonly auth: Buffer;
  /** Statuses to answer, in turn; 201 once they run out. */
  readonly answers: { status: number; retryAfter?: string }[];
}

export interface PushReceiver {
  readonly origin: string;
  subscribe(): TestSubscription;
  /** The next pushes to this subscription are answered with these statuses (then 201). */
  answer(subscription: TestSubscription, ...answers: { status: number; retryAfter?: string }[]): void;
  /** Every push received (well signed and decrypted), in order. */
  readonly received: ReceivedPush[];
  /** Requests refused for a bad signature or body, with why. */
  readonly refused: string[];
  /** Resolves once `count` pushes reached the subscription (or rejects after `timeoutMs`). */
  waitFor(subscription: TestSubscription, count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
  stop(): Promise<void>;
}

export async function startPushReceiver(subject: string): Promise<PushReceiver> {
  const held = new Map<string, Held>();
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  const waiters = new Set<() => void>();
  let origin = '';

  const handle = async (req: IncomingMessage): Promise<{ status: number; headers?: Record<string, string> }> => {
    const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const sub = id ? held.get(id) : undefined;
    if (req.method !== 'POST' || !id || !sub) return { status: 404 };
    const body = await readBody(req);
    const jwt = checkVapid(req.headers['authorization'], origin, subject);
    if (typeof jwt === 'string') throw new Error(jwt);
    if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding is not aes128gcm');
    if (!/^\d+$/.test(String(req.headers['ttl'] ?? ''))) throw new Error('no TTL');
    const payload = JSON.parse(decrypt(body, sub.ecdh, sub.auth).toString('utf8')) as Record<string, unknown>;
    const next = sub.answers.shift() ?? { status: 201 };
    received.push({ subscription: id, status: next.status, headers: req.headers, payload, jwt });
    for (const wake of [...waiters]) wake();
    return { status: next.status, headers: next.retryAfter ? { 'retry-after': next.retryAfter } : undefined };
  };

  // One request per connection: no kept-alive socket of the app's outlives the receiver.
  const server: Server = createServer((req, res) => {
    handle(req).then(
      ({ status, headers }) => res.writeHead(status, { ...headers, connection: 'close' }).end(),
      (err: unknown) => {
        refused.push((err as Error).message);
        res.writeHead(400, { connection: 'close' }).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    refused,
    subscribe() {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      held.set(id, { ecdh, auth, answers: [] });
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    answer(subscription, ...answers) {
      held.get(subscription.id)?.answers.push(...answers);
    },
    waitFor(subscription, count, timeoutMs = 10_000) {
      const mine = () => received.filter((r) => r.subscription === subscription.id);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (mine().length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(mine());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${mine().length} of ${count} pushes arrived (refused: ${refused.join('; ') || 'none'})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The JWT's claims when the header is a valid VAPID authorization for `origin`, else why not. */
function checkVapid(header: string | undefined, origin: string, subject: string): ReceivedPush['jwt'] | string {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!match) return `Authorization is not "vapid t=…, k=…": ${header ?? '(none)'}`;
  const [h, p, s] = match[1].split('.');
  const key = Buffer.from(match[2], 'base64url');
  if (key.length !== 65 || key[0] !== 4) return 'k is not an uncompressed P-256 point';
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: key.subarray(1, 33).toString('base64url'),
      y: key.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const head = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  if (head.alg !== 'ES256') return `JWT alg is ${head.alg}`;
  const signed = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!signed) return 'JWT signature does not verify with k';
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as ReceivedPush['jwt'];
  const now = Math.floor(Date.now() / 1000);
  if (claims.aud !== origin) return `JWT aud ${claims.aud} is not ${origin}`;
  if (!(claims.exp > now && claims.exp <= now + 24 * 60 * 60)) return `JWT exp ${claims.exp} is not within 24 h`;
  if (claims.sub !== subject) return `JWT sub ${claims.sub} is not ${subject}`;
  return claims;
}

/** RFC 8291 / RFC 8188: one aes128gcm record, decrypted with the user agent's keys. */
function decrypt(body: Buffer, ecdh: ECDH, auth: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const senderKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  const secret = ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the last record does not end with the 0x02 delimiter');
  return padded.subarray(0, end);
}
