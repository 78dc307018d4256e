/**
 * The app's settings as Core Tools reads them: `local.settings.json` (or, when a developer has not
 * created one yet, `local.settings.sample.json`), `host.json`, and the app's `package.json`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalSettings {
  /** Which file the settings came from, for the startup log; undefined when neither exists. */
  readonly source?: string;
  readonly values: Readonly<Record<string, string>>;
  readonly cors: readonly string[];
  readonly corsCredentials: boolean;
  readonly localHttpPort?: number;
}

export interface HostJson {
  /** `extensions.http.routePrefix`: `api` unless host.json says otherwise; may be empty. */
  readonly routePrefix: string;
}

export const LOCAL_SETTINGS_FILE = 'local.settings.json';
export const LOCAL_SETTINGS_SAMPLE_FILE = 'local.settings.sample.json';
export const DEFAULT_ROUTE_PREFIX = 'api';

export async function readLocalSettings(appRoot: string): Promise<LocalSettings> {
  for (const file of [LOCAL_SETTINGS_FILE, LOCAL_SETTINGS_SAMPLE_FILE]) {
    const raw = await readJsonIfExists(join(appRoot, file));
    if (raw !== undefined) return parseLocalSettings(raw, file);
  }
  return { values: {}, cors: [], corsCredentials: false };
}

export function parseLocalSettings(raw: unknown, source: string): LocalSettings {
  const root = asObject(raw, source);
  const values: Record<string, string> = {};
  const rawValues = root['Values'];
  if (rawValues !== undefined) {
    for (const [key, value] of Object.entries(asObject(rawValues, `${source} Values`))) {
      // Core Tools passes every value to the worker as an environment variable, i.e. as a string.
      if (value !== null && value !== undefined)
        values[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  const host = root['Host'] === undefined ? {} : asObject(root['Host'], `${source} Host`);
  const cors = typeof host['CORS'] === 'string' ? splitOrigins(host['CORS']) : [];
  const corsCredentials = host['CORSCredentials'] === true || host['CORSCredentials'] === 'true';
  const port = Number(host['LocalHttpPort']);
  return {
    source,
    values,
    cors,
    corsCredentials,
    localHttpPort: Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined,
  };
}

export async function readHostJson(appRoot: string): Promise<HostJson> {
  const raw = await readJsonIfExists(join(appRoot, 'host.json'));
  if (raw === undefined) return { routePrefix: DEFAULT_ROUTE_PREFIX };
  const root = asObject(raw, 'host.json');
  const extensions = root['extensions'];
  const http = isObject(extensions) ? extensions['http'] : undefined;
  const prefix = isObject(http) ? http['routePrefix'] : undefined;
  return { routePrefix: typeof prefix === 'string' ? prefix.replace(/^\/+|\/+$/g, '') : DEFAULT_ROUTE_PREFIX };
}

/** package.json `main`: a file or glob of the compiled function files, e.g. `dist/functions/*.js`. */
export async function readMainPattern(appRoot: string): Promise<string> {
  const raw = await readJsonIfExists(join(appRoot, 'package.json'));
  if (raw === undefined) throw new Error(`No package.json in ${appRoot}: the Functions app root needs one`);
  const main = asObject(raw, 'package.json')['main'];
  if (typeof main !== 'string' || main.trim() === '') {
    throw new Error(`package.json in ${appRoot} has no "main" naming the function files (e.g. "dist/functions/*.js")`);
  }
  return main;
}

/**
 * Core Tools does not overwrite a variable that is already in the environment ("Skipping 'X' from
 * local settings as it's already defined in current environment variables"); explicit `overrides`
 * (the host's `values` option) win over both.
 */
export function applySettingsToEnv(
  fileValues: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const effective: Record<string, string> = {};
  for (const [key, value] of Object.entries(fileValues)) {
    if (env[key] === undefined) env[key] = value;
    effective[key] = env[key] ?? value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    env[key] = value;
    effective[key] = value;
  }
  return effective;
}

export function splitOrigins(value: string): string[] {
  return value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
}

async function readJsonIfExists(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    // Tolerate a UTF-8 BOM, which editors on Windows like to add.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (!isObject(value)) throw new Error(`${what} must be a JSON object`);
  return value;
}
