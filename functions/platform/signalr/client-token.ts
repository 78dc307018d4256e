/**
 * The `signalRConnectionInfo` binding can name the user only by a binding expression, the platform's
 * `x-ms-client-principal-id`; Hubbub's id also says the identity provider for people of any other
 * provider (http/identity.ts hubbubUserId). For them negotiate takes the binding's token and puts
 * Hubbub's id in its user claim, signed again with the same key: everything else (audience, expiry,
 * header) is the binding's.
 */
import { createHmac } from 'node:crypto';

import { accessKeyOf } from './upstream-signature';

/** The claim the SignalR Service reads a connection's user id from. */
export const USER_ID_CLAIM = 'asrs.s.uid';

/**
 * `token` with `USER_ID_CLAIM` set to `userId`, signed again with the connection string's access
 * key; the token as it was when it already names `userId`. Throws for a token that is not an HS256
 * JWT or a connection string without a key (an identity-based connection cannot sign).
 */
export function tokenForUser(token: string, userId: string, connectionString: string | undefined): string {
  const [header, payload, signature, extra] = token.split('.');
  if (!header || !payload || !signature || extra !== undefined) throw new Error('the access token is not a JWT');
  const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
  if (head.alg !== 'HS256') throw new Error(`the access token is signed with ${String(head.alg)}, not HS256`);
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (claims[USER_ID_CLAIM] === userId) return token;
  const key = accessKeyOf(connectionString);
  if (!key) throw new Error('the SignalR connection string has no AccessKey to sign a token with');
  const body = `${header}.${Buffer.from(JSON.stringify({ ...claims, [USER_ID_CLAIM]: userId }), 'utf8').toString('base64url')}`;
  return `${body}.${createHmac('sha256', Buffer.from(key, 'utf8')).update(body).digest('base64url')}`;
}
