/**
 * The local Azure Functions host: loads a Node v4-model Functions app in this process (supplying
 * `@azure/functions-core` as the worker does) and serves it over HTTP like `func start`, with the
 * SignalR bindings, the SignalR upstream webhook and a local App Service Authentication stand-in.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

import { loadApp } from './app-loader';
import { AUTH_PREFIX, handleAuthRoute, sessionUser } from './auth-routes';
import { startTriggerListeners } from './bindings/listeners';
import { bindingType } from './bindings/registry';
import { handleSignalRWebhook, SIGNALR_WEBHOOK_PATH } from './bindings/signalr-trigger';
import { applyCors, checkCorsPolicy, type CorsPolicy } from './cors';
import { isPlatformIdentityHeader, principalHeaders, SessionSigner } from './easy-auth';
import { createHostContext } from './executor';
import { buildFunctionIndex, type FunctionIndex, type RegisteredFunctionInfo } from './function-index';
import { type FunctionKeys, generateKeys, keyAllows, keyFromRequest } from './function-keys';
import { badRequestTarget, BODY_LIMIT_SETTING, bodyLimitFrom, HttpFailure, readBody, sendError } from './http-io';
import { invokeHttpFunction } from './http-trigger';
import { applySettingsToEnv, readHostJson, readLocalSettings } from './settings';
import type { RegisteredFunction } from './worker/core-api';

export type { RegisteredFunctionInfo } from './function-index';

export interface HostOptions {
  /** Folder with package.json (`main` glob, e.g. "dist/functions/*.js"), host.json, local.settings.json. */
  appRoot: string;
  /** Default `Host.LocalHttpPort` from local.settings.json, else 7071; 0 picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Merged over local.settings.json Values and into process.env before the app loads. */
  values?: Record<string, string>;
  /** Allowed CORS origins, merged with Host.CORS. */
  cors?: string[];
  /** Request body limit in bytes; default the FUNCTIONS_REQUEST_BODY_SIZE_LIMIT setting, else 1 MB. */
  maxBodyBytes?: number;
  /** Honour `authLevel` function/admin with keys made at start (`--keys`); default off, as `func start`. */
  keys?: boolean;
  log?: (line: string) => void;
}

export interface RunningHost {
  readonly port: number;
  /** http://localhost:<port> */
  readonly url: string;
  readonly functions: readonly RegisteredFunctionInfo[];
  /** With the `keys` option: the keys made at this start. */
  readonly keys?: FunctionKeys;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 7071;
const RUNTIME_PREFIX = '/runtime';

export async function startFunctionsHost(options: HostOptions): Promise<RunningHost> {
  const log = options.log ?? ((line: string) => console.log(line));
  const appRoot = resolve(options.appRoot);
  const settings = await readLocalSettings(appRoot);
  const hostJson = await readHostJson(appRoot);
  applySettingsToEnv(settings.values, options.values ?? {});

  const app = await loadApp(appRoot, log);
  const index = buildFunctionIndex(app.registry.functions.values(), hostJson.routePrefix);
  await checkProgrammingModel(app.registry.programmingModel);
  warnAboutMissingSettings({ ...index, functions: app.registry.functions.values() }, log);

  const cors: CorsPolicy = {
    origins: [...settings.cors, ...(options.cors ?? [])],
    credentials: settings.corsCredentials,
  };
  checkCorsPolicy(cors);
  const signer = SessionSigner.fromEnv();
  const maxBodyBytes = options.maxBodyBytes ?? bodyLimitFrom(process.env[BODY_LIMIT_SETTING]);
  const apiPrefix = hostJson.routePrefix === '' ? '' : `/${hostJson.routePrefix.toLowerCase()}`;
  const listenHost = options.host ?? '127.0.0.1';
  const keys = options.keys
    ? generateKeys(index.http.filter((f) => (f.info.authLevel ?? 'function') === 'function').map((f) => f.info.name))
    : undefined;

  let boundPort = 0;
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    let functionName: string | undefined;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Path only: query strings may carry tokens (access_token, code).
      const path = (req.url ?? '/').split('?')[0];
      log(`${req.method} ${path} ${res.statusCode} ${ms.toFixed(0)}ms${functionName ? ` (${functionName})` : ''}`);
    });
    const bad = badRequestTarget(req.url, req.headers.host);
    if (bad) {
      sendError(res, 400, 'validation_failed', bad, { connection: 'close' });
      return;
    }
    void route(req, res, (name) => {
      functionName = name;
    }).catch((err: unknown) => {
      if (err instanceof HttpFailure) {
        if (!res.headersSent) sendError(res, err.status, err.code, err.message, err.headers);
        else res.destroy();
        return;
      }
      log(
        `Request ${req.method} ${(req.url ?? '/').split('?')[0]} failed in the host: ${(err as Error).stack ?? String(err)}`,
      );
      if (!res.headersSent) sendError(res, 500, 'internal', 'The local Functions host failed to handle the request');
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, named: (name: string) => void): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `localhost:${boundPort}`}`);
    const headers = platformHeaders(req, signer);
    if (applyCors(cors, req, res)) return;
    const path = url.pathname;
    const lower = path.toLowerCase();

    if (lower === AUTH_PREFIX || lower.startsWith(`${AUTH_PREFIX}/`)) {
      await handleAuthRoute(req, res, url, signer, cors.origins);
      return;
    }
    if (lower === SIGNALR_WEBHOOK_PATH || lower === `${SIGNALR_WEBHOOK_PATH}/`) {
      if (req.method !== 'POST') {
        sendError(res, 405, 'method_not_allowed', 'The SignalR webhook accepts POST only', { allow: 'POST' });
        return;
      }
      const body = await readBody(req, maxBodyBytes);
      const answer = await handleSignalRWebhook({ host: bindings, index }, { headers, body });
      if (answer.functionName) named(answer.functionName);
      if (answer.reason) log(`SignalR webhook ${answer.status}: ${answer.reason}`);
      res.writeHead(answer.status, {
        ...(answer.contentType ? { 'content-type': answer.contentType } : {}),
        'content-length': answer.body?.length ?? 0,
      });
      res.end(answer.body);
      return;
    }
    if (lower === RUNTIME_PREFIX || lower.startsWith(`${RUNTIME_PREFIX}/`)) {
      sendError(res, 404, 'not_found', `No runtime endpoint ${path}`);
      return;
    }

    const underApi = apiPrefix === '' || lower === apiPrefix || lower.startsWith(`${apiPrefix}/`);
    if (underApi) {
      const rest = path.slice(apiPrefix.length);
      const method = (req.method ?? 'GET').toUpperCase();
      for (const candidate of index.http) {
        if (candidate.methods && !candidate.methods.has(method)) continue;
        const params = candidate.route.match(rest);
        if (!params) continue;
        named(candidate.fn.name);
        if (keys && !keyAllows(keys, candidate.info.authLevel, candidate.info.name, keyFromRequest(req.headers, url))) {
          const level = candidate.info.authLevel === 'admin' ? 'the master key' : 'a function key';
          sendError(res, 401, 'unauthenticated', `${candidate.info.name} needs ${level} (?code= or x-functions-key)`);
          return;
        }
        await invokeHttpFunction({
          host: bindings,
          target: candidate,
          params,
          req,
          res,
          url,
          headers,
          maxBodyBytes,
        });
        return;
      }
      sendError(res, 404, 'not_found', `No function handles ${method} ${path}`);
      return;
    }
    if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : 'The Hubbub local Functions host is running.\n');
      return;
    }
    sendError(res, 404, 'not_found', `Nothing at ${path}`);
  }

  // What the bindings share for this host (host.json extensions, storage clients); a bad
  // extensions setting fails startup here, before the port is taken.
  const bindings = await createHostContext({ appRoot, registry: app.registry, log });
  const port = options.port ?? settings.localHttpPort ?? DEFAULT_PORT;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, listenHost, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  const url = `http://localhost:${boundPort}`;
  // Timer, queue and blob triggers start once HTTP is up, as the host's listeners do.
  let triggers;
  try {
    triggers = await startTriggerListeners(app.registry.functions.values(), bindings);
  } catch (err) {
    await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    port: boundPort,
    url,
    functions: index.infos,
    keys,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        server.closeAllConnections();
        await stopped;
        await triggers.stop();
        const terminate = { hookData: app.registry.appLevelOnlyHookData, appHookData: app.registry.appHookData };
        for (const hook of app.registry.getHooks('appTerminate')) {
          try {
            await hook(terminate);
          } catch (err) {
            log(`appTerminate hook failed: ${(err as Error).message}`);
          }
        }
      })();
      return closing;
    },
  };
}

/**
 * Request headers as the function sees them: whatever a client sent as `x-ms-client-principal*`
 * is dropped (only the platform may set those), then the signed-in user's headers are added.
 */
function platformHeaders(req: IncomingMessage, signer: SessionSigner): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (!isPlatformIdentityHeader(key)) headers[key] = value;
  }
  const user = sessionUser(req, signer);
  if (user) Object.assign(headers, principalHeaders(user));
  return headers;
}

async function checkProgrammingModel(
  model: { getCapabilities?(c: Record<string, string>): unknown } | undefined,
): Promise<void> {
  if (!model) {
    throw new Error(
      'The app registered no programming model: its functions must use the "@azure/functions" package (v4)',
    );
  }
  // The worker asks for capabilities once at startup; this also locks the library's setup options.
  const capabilities = (await model.getCapabilities?.({})) as Record<string, string> | undefined;
  if (capabilities?.['HttpUri']) {
    throw new Error(
      'HTTP streaming (app.setup({ enableHttpStream: true })) is not supported by the local Functions host',
    );
  }
}

function warnAboutMissingSettings(
  index: FunctionIndex & { functions: Iterable<RegisteredFunction> },
  log: (line: string) => void,
): void {
  const missing = new Set<string>();
  for (const info of index.infos) {
    for (const binding of info.bindings) {
      const use = bindingType(binding.type)?.appSetting?.(binding.properties);
      if (use?.service === 'SignalR' && !process.env[use.setting]) missing.add(use.setting);
    }
  }
  for (const setting of missing) {
    log(`Warning: app setting '${setting}' is not set; SignalR bindings that use it will fail`);
  }
  // Storage settings resolve as the host does: the name, else AzureWebJobs<name>.
  const storage = new Set<string>();
  for (const fn of index.functions) {
    for (const binding of Object.values(fn.bindings)) {
      const use = bindingType(binding.type)?.appSetting?.(binding);
      if (use?.service === 'storage') storage.add(use.setting);
    }
  }
  for (const setting of storage) {
    if (!process.env[setting] && !process.env[`AzureWebJobs${setting}`]) {
      log(`Warning: app setting '${setting}' is not set; storage bindings that use it will fail`);
    }
  }
}
