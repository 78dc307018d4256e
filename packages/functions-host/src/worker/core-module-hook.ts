/**
 * Makes `require('@azure/functions-core')` return our implementation, the way the Node worker does
 * (it wraps `Module.prototype.require`). The library asks for the module lazily and caches the
 * answer, so this must run before the app first requires `@azure/functions`.
 */
import Module from 'node:module';

import type { CoreApi } from './core-api';

export const CORE_MODULE_NAME = '@azure/functions-core';

const SLOT = Symbol.for('hubbub.functions-host.core-api');

interface HookSlot {
  api: CoreApi;
}

type RequireFn = (this: unknown, id: string) => unknown;
type ModuleWithSlot = typeof Module & { [SLOT]?: HookSlot };
type JestLike = { doMock(name: string, factory: () => unknown, options: { virtual: boolean }): unknown };

/**
 * Installs `api` as `@azure/functions-core` for this process (or, under Jest, for this test file's
 * module registry). Calling it again replaces the api; the require wrapper is installed only once.
 */
export function installCoreModule(api: CoreApi): void {
  const jestObject = jestInScope();
  if (jestObject) {
    // Jest loads modules through its own registry and never calls Module.prototype.require, so the
    // worker's trick does not reach the app there; a virtual mock does, and it is per test file.
    jestObject.doMock(CORE_MODULE_NAME, () => api, { virtual: true });
    return;
  }
  const mod = Module as ModuleWithSlot;
  const existing = mod[SLOT];
  if (existing) {
    existing.api = api;
    return;
  }
  const slot: HookSlot = { api };
  mod[SLOT] = slot;
  // The proxy calls the original with the `this` each require() call brings, so it is never unbound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = Module.prototype.require as unknown as RequireFn;
  Module.prototype.require = new Proxy(original, {
    apply(target, thisArg, args: [string]) {
      if (args[0] === CORE_MODULE_NAME) return slot.api;
      return Reflect.apply(target, thisArg, args);
    },
  });
}

/** Declared here rather than through Jest's types, which stay out of the build. */
declare const jest: unknown;

function jestInScope(): JestLike | undefined {
  // Jest injects `jest` into every module it loads; in plain Node the name does not exist.
  const candidate: unknown = typeof jest === 'undefined' ? undefined : jest;
  if (candidate && typeof (candidate as Partial<JestLike>).doMock === 'function') return candidate as JestLike;
  return undefined;
}
