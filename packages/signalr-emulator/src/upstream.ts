/**
 * The upstream webhook (docs/signalr-service-contract.md §4): client connects, disconnects and invocations are POSTed to
 * the URL of the first matching template, signed with the AccessKey, one connection's events in
 * order. Settings use the Microsoft emulator's file format and are reloaded when the file changes.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { ClientConnection } from './connection';
import { type InboundMessage, Outbound } from './protocol/hub-protocol';
import type { UpstreamHooks } from './service';

export interface UpstreamTemplate {
  readonly urlTemplate: string;
  readonly hubPattern: string;
  readonly categoryPattern: string;
  readonly eventPattern: string;
}

export interface UpstreamOptions {
  readonly settingsFile: string;
  readonly accessKey: string;
  readonly log: (line: string) => void;
  /** Give up on one upstream call after this long; default 100 s (the client's own HTTP timeout). */
  readonly requestTimeoutMs?: number;
}

export type Upstream = UpstreamHooks & { close(): Promise<void>; templates(): readonly UpstreamTemplate[] };

const CATEGORY_CONNECTIONS = 'connections';
const CATEGORY_MESSAGES = 'messages';
const OPEN_CONNECTION_TYPE = 10;
const CLOSE_CONNECTION_TYPE = 11;
/** Larger upstream answers are not passed to the client (the Microsoft emulator's limit). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const RELOAD_DEBOUNCE_MS = 50;
const NO_MATCH_ERROR = 'No upstream is configured for this event.';

/** Reads `{"UpstreamSettings":{"Templates":[…]}}`; property names are matched case-insensitively. */
export function parseUpstreamSettings(text: string): UpstreamTemplate[] {
  const root = JSON.parse(text) as unknown;
  const settings = prop(root, 'UpstreamSettings');
  const templates = prop(settings, 'Templates');
  if (templates === undefined) return [];
  if (!Array.isArray(templates)) throw new Error('UpstreamSettings.Templates must be an array');
  return templates.map((entry, i) => {
    const url = prop(entry, 'UrlTemplate');
    if (typeof url !== 'string' || url === '') throw new Error(`Template ${i} has no UrlTemplate`);
    const pattern = (name: string): string => {
      const value = prop(entry, name);
      return typeof value === 'string' && value.trim() !== '' ? value : '*';
    };
    return {
      urlTemplate: url,
      hubPattern: pattern('HubPattern'),
      categoryPattern: pattern('CategoryPattern'),
      eventPattern: pattern('EventPattern'),
    };
  });
}

/** `*`, one name, or a comma-separated list of names; compared ignoring case like the extension. */
export function matchesPattern(pattern: string, value: string): boolean {
  const wanted = value.toLowerCase();
  return pattern.split(',').some((part) => {
    const p = part.trim().toLowerCase();
    return p === '*' || p === wanted;
  });
}

/** The first template matching wins; its placeholders are replaced with URI-escaped values. */
export function resolveUpstreamUrl(
  templates: readonly UpstreamTemplate[],
  hub: string,
  category: string,
  event: string,
): string | undefined {
  const template = templates.find(
    (t) =>
      matchesPattern(t.hubPattern, hub) &&
      matchesPattern(t.categoryPattern, category) &&
      matchesPattern(t.eventPattern, event),
  );
  if (!template) return undefined;
  const values: Record<string, string> = { hub, category, event };
  return template.urlTemplate.replace(/\{(hub|category|event)\}/gi, (_m, name: string) =>
    encodeURIComponent(values[name.toLowerCase()]),
  );
}

/** `sha256=<hex HMAC-SHA256(UTF-8 AccessKey, connectionId)>`, what the extension verifies. */
export function upstreamSignature(accessKey: string, connectionId: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(accessKey, 'utf8')).update(connectionId, 'utf8').digest('hex')}`;
}

/** Claims as `type: value` pairs joined with `, `, like .NET `Claim.ToString()`; `asrs.u.x` back to `x`. */
export function formatClaims(claims: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, raw] of Object.entries(claims)) {
    const type = name.startsWith('asrs.u.') ? name.slice('asrs.u.'.length) : name;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      parts.push(`${type}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  }
  return parts.join(', ');
}

export function startUpstream(options: UpstreamOptions): Upstream {
  const { log, accessKey } = options;
  const file = path.resolve(options.settingsFile);
  const timeoutMs = options.requestTimeoutMs ?? 100_000;
  const shutdown = new AbortController();
  const queues = new WeakMap<ClientConnection, Promise<void>>();
  let templates: UpstreamTemplate[] = [];

  const load = (): void => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      log(`upstream settings ${file} not found; no upstream calls until it exists`);
      templates = [];
      return;
    }
    try {
      templates = parseUpstreamSettings(text);
      log(`upstream settings loaded: ${templates.length} template(s) from ${file}`);
    } catch (error) {
      // Half-written files are common while editing: keep the last good settings.
      log(`upstream settings ${file} ignored: ${(error as Error).message}`);
    }
  };
  load();

  // Watch the folder, not the file: editors replace files, which ends a watch on the file itself.
  let reloadTimer: NodeJS.Timeout | undefined;
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(file), (_event, name) => {
      if (name !== null && name !== path.basename(file)) return;
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(load, RELOAD_DEBOUNCE_MS);
      reloadTimer.unref();
    });
    watcher.on('error', () => undefined);
    watcher.unref();
  } catch {
    log(`upstream settings folder of ${file} cannot be watched; changes need a restart`);
  }

  /** One connection's events run one after another, in the order they happened. */
  const enqueue = (connection: ClientConnection, task: () => Promise<void>): void => {
    const previous = queues.get(connection) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      log(`upstream error for ${connection.connectionId}: ${error instanceof Error ? error.message : String(error)}`);
    });
    queues.set(connection, next);
  };

  const post = async (
    connection: ClientConnection,
    category: string,
    event: string,
    body: Buffer,
    contentType: string,
  ): Promise<{ status: number; body: Buffer } | 'no-match'> => {
    const url = resolveUpstreamUrl(templates, connection.hub, category, event);
    if (!url) return 'no-match';
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'X-ASRS-Connection-Id': connection.connectionId,
      'X-ASRS-Hub': connection.hub,
      'X-ASRS-Category': category,
      'X-ASRS-Event': event,
      'X-ASRS-User-Claims': formatClaims(connection.principal.claims),
      'X-ASRS-Client-Query': connection.clientQuery,
      'X-ASRS-Signature': upstreamSignature(accessKey, connection.connectionId),
    };
    if (connection.userId !== undefined) headers['X-ASRS-User-Id'] = connection.userId;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: asciiHeaders(headers),
        // A plain Uint8Array type-checks under the DOM's fetch types too (the e2e config includes this file).
        body: new Uint8Array(body),
        signal: AbortSignal.any([shutdown.signal, AbortSignal.timeout(timeoutMs)]),
      });
      const declared = Number(response.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
        await response.body?.cancel();
        return { status: 413, body: Buffer.alloc(0) };
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > MAX_RESPONSE_BYTES) return { status: 413, body: Buffer.alloc(0) };
      log(`upstream ${category}/${event} ${connection.connectionId} -> ${response.status}`);
      return { status: response.status, body: bytes };
    } catch (error) {
      if (!shutdown.signal.aborted) {
        log(`upstream ${category}/${event} ${connection.connectionId} failed: ${(error as Error).message}`);
      }
      // A network failure counts as a 500, as in the Microsoft emulator.
      return { status: 500, body: Buffer.alloc(0) };
    }
  };

  return {
    templates: () => templates,
    connected: (connection) =>
      enqueue(connection, async () => {
        const body = Buffer.from(JSON.stringify({ type: OPEN_CONNECTION_TYPE }));
        await post(connection, CATEGORY_CONNECTIONS, 'connected', body, 'application/json');
      }),
    disconnected: (connection, error) =>
      enqueue(connection, async () => {
        const body = Buffer.from(JSON.stringify({ type: CLOSE_CONNECTION_TYPE, ...(error ? { error } : {}) }));
        await post(connection, CATEGORY_CONNECTIONS, 'disconnected', body, 'application/json');
        queues.delete(connection);
      }),
    invocation: (connection, message: InboundMessage) =>
      enqueue(connection, async () => {
        const protocol = connection.protocol;
        if (!protocol) return;
        const result = await post(
          connection,
          CATEGORY_MESSAGES,
          message.target as string,
          message.raw,
          protocol.contentType,
        );
        const id = message.invocationId;
        if (!id) return;
        let reply: Outbound;
        if (result === 'no-match') {
          reply = Outbound.of((p) => p.frameCompletion(id, { error: NO_MATCH_ERROR }));
        } else if (result.status === 413) {
          reply = Outbound.of((p) => p.frameCompletion(id, { error: 'response too large' }));
        } else if (result.status === 200 && result.body.length > 0) {
          // The extension answers with a fully framed Completion in the client's protocol.
          reply = Outbound.raw(protocol, result.body);
        } else if (result.status === 200 || result.status === 204) {
          reply = Outbound.of((p) => p.frameCompletion(id, {}));
        } else {
          const status = result.status;
          reply = Outbound.of((p) => p.frameCompletion(id, { error: `Invocation failed, status code ${status}` }));
        }
        connection.send(reply);
      }),
    close: async () => {
      shutdown.abort();
      clearTimeout(reloadTimer);
      watcher?.close();
    },
  };
}

function prop(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const key = Object.keys(value).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (value as Record<string, unknown>)[key];
}

/** Header values must be Latin-1; claims and user ids may not be, so escape what would not fit. */
function asciiHeaders(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name] = /^[\x20-\x7e]*$/.test(value) ? value : encodeURI(value);
  }
  return result;
}
