/**
 * Our implementation of `@azure/functions-core`, the module the Azure Functions Node worker builds
 * in. The `@azure/functions` library calls it to register functions, hooks and its programming
 * model; the host then drives invocations through that programming model exactly as the worker does.
 */
import type {
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookData,
  ProgrammingModel,
  RpcBindingInfo,
  RpcLogCategory,
  RpcLogLevel,
} from './core-types';

/** Reported as the worker version; the library only checks that `log` exists for newer features. */
export const CORE_VERSION = '3.12.0-hubbub';
export const HOST_VERSION = '4.1040.0-hubbub';

export const HOOK_NAMES = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export interface RegisteredFunction {
  readonly name: string;
  readonly functionId: string;
  readonly bindings: Readonly<Record<string, RpcBindingInfo>>;
  readonly callback: FunctionCallback;
}

export type CoreLogger = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

export class Disposable {
  static from(...disposableLikes: { dispose: () => unknown }[]): Disposable {
    return new Disposable(() => {
      for (const d of disposableLikes) d.dispose();
    });
  }

  #callOnDispose?: () => unknown;

  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }

  dispose(): unknown {
    const call = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return call?.();
  }
}

/** What one loaded app registered: functions, hooks, the programming model, app-level hook data. */
export class CoreRegistry {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>(HOOK_NAMES.map((n) => [n, []]));
  readonly appHookData: HookData = {};
  /** `hookData` of app-level hooks (appStart/appTerminate), shared only between them. */
  readonly appLevelOnlyHookData: HookData = {};
  programmingModel?: ProgrammingModel;
  startupFinished = false;
  logger: CoreLogger = () => undefined;

  getHooks(name: HookName): readonly HookCallback[] {
    return this.hooks.get(name) ?? [];
  }
}

export interface CoreApi {
  readonly version: string;
  readonly hostVersion: string;
  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable;
  registerHook(hookName: string, callback: HookCallback): Disposable;
  setProgrammingModel(programmingModel: ProgrammingModel): void;
  getProgrammingModel(): ProgrammingModel | undefined;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
  readonly Disposable: typeof Disposable;
}

/** Errors the library recognises as coming from the platform rather than from user code. */
export class CoreSystemError extends Error {
  readonly isAzureFunctionsSystemError = true;
}

export function createCoreApi(registry: CoreRegistry): CoreApi {
  return {
    version: CORE_VERSION,
    hostVersion: HOST_VERSION,
    registerFunction(metadata, callback) {
      if (registry.startupFinished) throw new CoreSystemError('A function can only be registered during app startup.');
      if (!metadata || typeof metadata.name !== 'string' || metadata.name === '') {
        throw new CoreSystemError('A function must have a name to be registered.');
      }
      if (typeof callback !== 'function') {
        throw new CoreSystemError(`Function "${metadata.name}" has no handler.`);
      }
      const functionId = metadata.functionId || metadata.name;
      const key = metadata.name.toLowerCase();
      // The host indexes functions by name case-insensitively and refuses duplicates.
      if (registry.functions.has(key)) {
        throw new CoreSystemError(`A function named "${metadata.name}" is already registered.`);
      }
      registry.functions.set(key, { name: metadata.name, functionId, bindings: { ...metadata.bindings }, callback });
      return new Disposable(() => {
        if (registry.startupFinished) throw new CoreSystemError('A function can only be disposed during app startup.');
        registry.functions.delete(key);
      });
    },
    registerHook(hookName, callback) {
      const list = registry.hooks.get(hookName as HookName);
      if (!list) {
        // The library turns a RangeError marked as a system error into "requires a newer host".
        const error = new RangeError(`Unrecognized hook "${hookName}"`) as RangeError & {
          isAzureFunctionsSystemError: boolean;
        };
        error.isAzureFunctionsSystemError = true;
        throw error;
      }
      list.push(callback);
      return new Disposable(() => {
        const i = list.indexOf(callback);
        if (i >= 0) list.splice(i, 1);
      });
    },
    setProgrammingModel(programmingModel) {
      registry.programmingModel = programmingModel;
    },
    getProgrammingModel() {
      return registry.programmingModel;
    },
    log(level, category, message) {
      registry.logger(level, category, message);
    },
    Disposable,
  };
}
