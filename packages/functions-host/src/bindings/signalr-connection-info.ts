/**
 * The `signalRConnectionInfo` input binding: the `{ url, accessToken }` a client follows to the
 * service, with the token minted as the SignalR extension mints it (docs/signalr-service-contract.md §2.2).
 */
import { toTypedData } from '../worker/typed-data';
import type { BindingType } from './binding';
import { type BindingData, resolveBindingExpression } from './binding-expressions';
import { audienceBase, clientUrl } from './connection-string';
import { type JwtPayload, readJwtClaims, signJwt } from './jwt';
import { connectionFromSetting, connectionSettingOf, hubNameOf, signalRAppSetting } from './signalr-connection';

export const signalRConnectionInfo: BindingType = {
  name: 'signalRConnectionInfo',
  directions: ['in'],
  // async: a failure to mint rejects like any other input binding's.
  readInput: async (binding, ctx) => toTypedData(mintConnectionInfo(binding, ctx.bindingData)),
  appSetting: signalRAppSetting,
};

/** Local-only app setting: seconds a client token lives (the extension's default is one hour). */
export const TOKEN_LIFETIME_SETTING = 'AzureSignalRTokenLifetimeSeconds';
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

const USER_ID_CLAIM = 'asrs.s.uid';
/** Custom claims with these names would clash with the token's own; the extension renames them. */
const RESERVED_CLAIMS = new Set(['aud', 'exp', 'iat', 'nbf']);

export interface SignalRConnectionInfo {
  readonly url: string;
  readonly accessToken: string;
}

export function mintConnectionInfo(
  binding: Readonly<Record<string, unknown>>,
  data: BindingData,
  env: NodeJS.ProcessEnv = process.env,
  now: number = Date.now(),
): SignalRConnectionInfo {
  const hub = hubNameOf(binding);
  const connection = connectionFromSetting(connectionSettingOf(binding), env);
  const payload: JwtPayload = {};

  const idTokenTemplate = binding['idToken'];
  const claimTypes = binding['claimTypeList'];
  if (typeof idTokenTemplate === 'string' && idTokenTemplate !== '' && Array.isArray(claimTypes)) {
    const idToken = resolveBindingExpression(idTokenTemplate, data).replace(/^Bearer\s+/i, '');
    // The extension reads the id token's claims without validating it (the app's identity provider did).
    const claims = readJwtClaims(idToken);
    if (!claims) throw new Error('idToken is not a JWT');
    for (const [type, value] of Object.entries(claims)) {
      if (!claimTypes.includes(type)) continue;
      payload[RESERVED_CLAIMS.has(type) ? `asrs.u.${type}` : type] = value;
    }
  }

  const userIdTemplate = binding['userId'];
  if (typeof userIdTemplate === 'string' && userIdTemplate !== '') {
    const userId = resolveBindingExpression(userIdTemplate, data);
    if (userId !== '') payload[USER_ID_CLAIM] = userId;
  }

  const iat = Math.floor(now / 1000);
  payload.aud = `${audienceBase(connection.endpoint)}client/?hub=${hub.toLowerCase()}`;
  payload.iat = iat;
  payload.nbf = iat;
  payload.exp = iat + tokenLifetimeSeconds(env);
  return { url: clientUrl(connection, hub), accessToken: signJwt(payload, connection.accessKey) };
}

export function tokenLifetimeSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[TOKEN_LIFETIME_SETTING];
  if (raw === undefined || raw.trim() === '') return DEFAULT_TOKEN_LIFETIME_SECONDS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`${TOKEN_LIFETIME_SETTING} must be a positive whole number of seconds`);
  }
  return seconds;
}
