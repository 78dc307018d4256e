/**
 * The HS256 tokens the SignalR bindings mint, signed with the UTF-8 bytes of the connection
 * string's AccessKey as Azure SignalR Service expects. Checking tokens is the emulator's half
 * (`@hubbub/signalr-emulator`); each package holds only the half it uses, so each installs on its own.
 */
import { createSecretKey } from 'node:crypto';

import jwt from 'jsonwebtoken';

export type JwtPayload = Record<string, unknown> & {
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
};

/** The payload is signed as given: jsonwebtoken adds `iat` when it is missing, so tell it not to. */
export function signJwt(payload: JwtPayload, key: string): string {
  return jwt.sign(payload, createSecretKey(Buffer.from(key, 'utf8')), {
    algorithm: 'HS256',
    noTimestamp: payload.iat === undefined,
  });
}

/** The claims of a token, read without checking its signature or lifetime; undefined if it is no JWT. */
export function readJwtClaims(token: string): Record<string, unknown> | undefined {
  return jwt.decode(token, { json: true }) ?? undefined;
}
