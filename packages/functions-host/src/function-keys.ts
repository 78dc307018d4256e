/**
 * Function keys as the Functions runtime checks them, for `functions-host --keys`: `authLevel`
 * `function` accepts the function's own key, the host key or the master key; `admin` accepts the
 * master key only; `anonymous` needs none. The key comes from `?code=` or `x-functions-key`.
 * Without `--keys` every level is anonymous, as under `func start`. Keys are made at each start
 * (local development keys, printed once so they can be pasted into a client), never stored.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const FUNCTION_KEY_HEADER = 'x-functions-key';
export const FUNCTION_KEY_QUERY = 'code';

export interface FunctionKeys {
  /** `_master`: admin level, and any function. */
  readonly master: string;
  /** The host's `default` key: function level, any function. */
  readonly host: string;
  /** Each function-level function's own `default` key, by function name. */
  readonly functions: Readonly<Record<string, string>>;
}

/** Keys for this start; `functionNames` are the HTTP functions with authLevel `function`. */
export function generateKeys(functionNames: readonly string[]): FunctionKeys {
  return {
    master: newKey(),
    host: newKey(),
    functions: Object.fromEntries(functionNames.map((name) => [name, newKey()])),
  };
}

/** Whether a request with `given` (undefined: no key sent) may call `functionName` at `authLevel`. */
export function keyAllows(
  keys: FunctionKeys,
  authLevel: string | undefined,
  functionName: string,
  given?: string,
): boolean {
  const level = (authLevel ?? 'function').toLowerCase();
  if (level === 'anonymous') return true;
  if (given === undefined) return false;
  if (same(given, keys.master)) return true;
  if (level === 'admin') return false;
  const own = keys.functions[functionName];
  return same(given, keys.host) || (own !== undefined && same(given, own));
}

/** The key a request carries: the header wins over the query, as in the runtime. */
export function keyFromRequest(headers: IncomingHttpHeaders, url: URL): string | undefined {
  const header = headers[FUNCTION_KEY_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value || (url.searchParams.get(FUNCTION_KEY_QUERY) ?? undefined) || undefined;
}

/** The lines printed once at start. */
export function describeKeys(keys: FunctionKeys): string[] {
  return [
    `Function keys (--keys; send as ?${FUNCTION_KEY_QUERY}= or ${FUNCTION_KEY_HEADER}, new at each start):`,
    `        master (admin and function level): ${keys.master}`,
    `        host default (function level, any function): ${keys.host}`,
    ...Object.entries(keys.functions).map(([name, key]) => `        ${name} default: ${key}`),
  ];
}

function newKey(): string {
  // The runtime's keys are 40 random bytes in URL-safe base64; the same here.
  return randomBytes(40).toString('base64url');
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
