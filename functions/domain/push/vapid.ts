/**
 * The VAPID key pair and contact (RFC 8292) pushes are signed with, from app settings
 * (docs/push.md "Keys and settings"): `HUBBUB_VAPID_PUBLIC_KEY` (base64url, an uncompressed P-256
 * point), `HUBBUB_VAPID_PRIVATE_KEY` (base64url, 32 bytes) and `HUBBUB_VAPID_SUBJECT` (a `mailto:`
 * or `https:` contact). The stack launcher generates them once per local stack (.data/); the
 * deployment creates them in Azure. Only the public key is ever returned; none is logged.
 */
export const VAPID_PUBLIC_KEY_SETTING = 'HUBBUB_VAPID_PUBLIC_KEY';
export const VAPID_PRIVATE_KEY_SETTING = 'HUBBUB_VAPID_PRIVATE_KEY';
export const VAPID_SUBJECT_SETTING = 'HUBBUB_VAPID_SUBJECT';

export interface VapidDetails {
  readonly publicKey: string;
  readonly privateKey: string;
  readonly subject: string;
}

/** Thrown when push is asked for and its settings are missing or malformed (the message names the setting, never a value). */
export class PushNotConfiguredError extends Error {
  override readonly name = 'PushNotConfiguredError';
}

const decodedLength = (value: string) =>
  /^[A-Za-z0-9_-]+={0,2}$/.test(value) ? Buffer.from(value, 'base64url') : undefined;

/** The configured details, checked; throws PushNotConfiguredError saying which setting is wrong. */
export function vapidDetails(env: NodeJS.ProcessEnv = process.env): VapidDetails {
  const publicKey = env[VAPID_PUBLIC_KEY_SETTING]?.trim() ?? '';
  const privateKey = env[VAPID_PRIVATE_KEY_SETTING]?.trim() ?? '';
  const subject = env[VAPID_SUBJECT_SETTING]?.trim() ?? '';
  const point = decodedLength(publicKey);
  if (!point || point.length !== 65 || point[0] !== 0x04) {
    throw new PushNotConfiguredError(`${VAPID_PUBLIC_KEY_SETTING} must be a base64url uncompressed P-256 public key`);
  }
  const secret = decodedLength(privateKey);
  if (!secret || secret.length !== 32) {
    throw new PushNotConfiguredError(`${VAPID_PRIVATE_KEY_SETTING} must be a base64url P-256 private key (32 bytes)`);
  }
  if (!/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(subject)) {
    throw new PushNotConfiguredError(`${VAPID_SUBJECT_SETTING} must be a mailto: or https: contact`);
  }
  return { publicKey, privateKey, subject };
}
