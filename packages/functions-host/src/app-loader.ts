/**
 * Loads a Functions app the way the worker's startApp does: glob package.json `main` in the app
 * root, require each file with `@azure/functions-core` in place, then run the appStart hooks.
 */
import { glob } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { readMainPattern } from './settings';
import { CoreRegistry, createCoreApi } from './worker/core-api';
import { installCoreModule } from './worker/core-module-hook';

export interface LoadedApp {
  readonly appRoot: string;
  readonly registry: CoreRegistry;
  readonly files: readonly string[];
}

const LOADED = Symbol.for('hubbub.functions-host.loaded-app');
type GlobalWithApp = typeof globalThis & { [LOADED]?: Promise<LoadedApp> };

/**
 * Loads the app once per process (per module registry under Jest). The library and the app's
 * modules cache the core API and their registrations, so a second app cannot share the process:
 * asking for a different root fails with a pointer to starting a fresh process instead.
 */
export function loadApp(appRoot: string, log: (line: string) => void): Promise<LoadedApp> {
  const root = resolve(appRoot);
  const g = globalThis as GlobalWithApp;
  const existing = g[LOADED];
  if (existing) {
    return existing.then((app) => {
      if (app.appRoot !== root) {
        throw new Error(
          `This process already loaded the Functions app in ${app.appRoot}; one process serves one app. ` +
            `Start the host for ${root} in a fresh process (functions-host --app-root ...).`,
        );
      }
      return app;
    });
  }
  // A failed load stays failed: the library has already cached this process's core API and the
  // app's modules may be half-registered, so a retry needs a fresh process too.
  const loading = loadFresh(root, log);
  g[LOADED] = loading;
  return loading;
}

async function loadFresh(root: string, log: (line: string) => void): Promise<LoadedApp> {
  const registry = new CoreRegistry();
  registry.logger = (level, _category, message) => {
    if (level !== 'debug' && level !== 'trace') log(`[worker] ${message}`);
  };
  installCoreModule(createCoreApi(registry));

  const pattern = await readMainPattern(root);
  const files: string[] = [];
  for await (const file of glob(pattern, { cwd: root })) files.push(file);
  files.sort();
  if (files.length === 0) {
    throw new Error(
      `package.json "main" (${pattern}) matches no files in ${root}; build the app first (npm run build:api)`,
    );
  }
  for (const file of files) {
    const path = join(root, file);
    try {
      await loadScript(path);
    } catch (err) {
      throw new Error(`Loading ${file} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  const appStart = {
    hookData: registry.appLevelOnlyHookData,
    appHookData: registry.appHookData,
    functionAppDirectory: root,
  };
  for (const hook of registry.getHooks('appStart')) await hook(appStart);
  registry.startupFinished = true;
  return { appRoot: root, registry, files };
}

async function loadScript(path: string): Promise<void> {
  if (extname(path) === '.mjs') {
    await import(pathToFileURL(path).href);
    return;
  }
  // CommonJS through the ordinary require, so the core module hook (or Jest's registry) applies.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path);
}
