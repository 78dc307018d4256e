/**
 * Runs one function with its bindings: input bindings resolved before the handler, the invocation
 * through the app's programming model, then the output bindings, as the Functions host does. Which
 * binding does what is looked up in bindings/registry.ts; this file names no binding type.
 */
import { randomUUID } from 'node:crypto';

import type { HostContext, Invocation, InvocationResult } from './bindings/binding';
import { MissingBindingDataError } from './bindings/binding-expressions';
import { queueSettingsOf } from './bindings/queue-settings';
import { bindingType } from './bindings/registry';
import { StorageClients } from './bindings/storage-clients';
import { readHostExtensions } from './bindings/trigger-support';
import type { CoreRegistry } from './worker/core-api';
import type { RpcLogLevel, RpcParameterBinding, RpcTypedData } from './worker/core-types';
import { runInvocation } from './worker/invoke';
import { fromTypedData } from './worker/typed-data';

/** An input or output binding failed: the invocation fails, and the message is safe to show. */
export class BindingError extends Error {
  constructor(
    readonly bindingName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The binding name the library gives a function's return value. */
export const RETURN_BINDING = '$return';

const QUIET_LEVELS: ReadonlySet<RpcLogLevel> = new Set(['trace', 'debug', 'none']);

/**
 * The context the bindings of one started host share: host.json `extensions` read once (a bad
 * value fails startup), the host's storage clients, and running a function of `registry`.
 */
export async function createHostContext(options: {
  readonly appRoot: string;
  readonly registry: CoreRegistry;
  readonly log: (line: string) => void;
}): Promise<HostContext> {
  const extensions = await readHostExtensions(options.appRoot);
  const host: HostContext = {
    appRoot: options.appRoot,
    log: options.log,
    queues: queueSettingsOf(extensions.queues),
    storage: new StorageClients(),
    execute: (invocation) => executeFunction(options.registry, host, invocation),
  };
  return host;
}

export async function executeFunction(
  registry: CoreRegistry,
  host: HostContext,
  request: Invocation,
): Promise<InvocationResult> {
  const { fn } = request;
  const { log } = host;
  const invocationId = request.invocationId ?? randomUUID();
  const ctx = { host, bindingData: request.bindingData, fetch: request.fetch };
  const inputData: RpcParameterBinding[] = [{ name: request.triggerName, data: request.triggerData }];

  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (name === request.triggerName || binding.direction === 'out') continue;
    const input = bindingType(binding.type)?.readInput;
    if (!input) continue;
    let data: RpcTypedData | undefined;
    try {
      data = await input(binding, ctx);
    } catch (err) {
      if (err instanceof MissingBindingDataError) throw err;
      throw new BindingError(name, `Exception binding parameter '${name}': ${(err as Error).message}`, {
        cause: err,
      });
    }
    inputData.push({ name, data: data ?? null });
  }

  const response = await runInvocation(registry, fn, {
    invocationId,
    inputData,
    triggerMetadata: request.triggerMetadata,
    log: (level, category, message) => {
      if (QUIET_LEVELS.has(level)) return;
      const tag = category === 'user' ? fn.name : `${fn.name} system`;
      log(`[${tag}] ${level === 'information' ? '' : `${level}: `}${message}`);
    },
  });

  const outputs = new Map<string, unknown>();
  const rawOutputs = new Map<string, RpcTypedData | null | undefined>();
  for (const item of response.outputData ?? []) {
    if (item.name) outputs.set(item.name, item.data?.http ? item.data.http : fromTypedData(item.data));
    if (item.name) rawOutputs.set(item.name, item.data);
  }
  // Output bindings run after the handler, in declaration order; a failure fails the invocation.
  // Each sees the typed data itself (a string that holds JSON stays that string until it decides).
  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (binding.direction !== 'out') continue;
    const output = bindingType(binding.type)?.deliverOutput;
    if (!output) continue;
    try {
      await output(binding, name === RETURN_BINDING ? response.returnValue : rawOutputs.get(name), ctx);
    } catch (err) {
      throw new BindingError(
        name,
        `Error while handling parameter ${name} after function returned: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
  return {
    invocationId,
    response,
    outputs,
    returnValue: response.returnValue?.http ? response.returnValue.http : fromTypedData(response.returnValue),
  };
}
