/**
 * Runs one function with its bindings: input bindings resolved before the handler, the invocation
 * through the app's programming model, then the output bindings, as the Functions host does.
 */
import { randomUUID } from 'node:crypto';

import { type BindingData, MissingBindingDataError } from './bindings/binding-expressions';
import { CONNECTION_INFO_TYPE, mintConnectionInfo } from './bindings/signalr-connection-info';
import { deliverSignalROutput, SIGNALR_OUTPUT_TYPE } from './bindings/signalr-output';
import { deliverStorageOutput, isStorageInput, isStorageOutput, readStorageInput } from './bindings/storage-bindings';
import type { CoreRegistry, RegisteredFunction } from './worker/core-api';
import type { RpcInvocationResponse, RpcLogLevel, RpcParameterBinding, RpcTypedData } from './worker/core-types';
import { runInvocation } from './worker/invoke';
import { fromTypedData, toTypedData } from './worker/typed-data';

export interface ExecuteRequest {
  readonly registry: CoreRegistry;
  readonly fn: RegisteredFunction;
  readonly triggerName: string;
  readonly triggerData: RpcTypedData;
  readonly triggerMetadata?: Record<string, RpcTypedData>;
  readonly bindingData: BindingData;
  readonly log: (line: string) => void;
  readonly fetch?: typeof fetch;
  /** Chosen by the caller when it wants to log the id of a failed invocation. */
  readonly invocationId?: string;
}

export interface ExecuteResult {
  readonly invocationId: string;
  readonly response: RpcInvocationResponse;
  /** Output values by binding name, as the bindings see them. */
  readonly outputs: ReadonlyMap<string, unknown>;
  readonly returnValue: unknown;
}

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

export async function executeFunction(request: ExecuteRequest): Promise<ExecuteResult> {
  const { fn, log } = request;
  const invocationId = request.invocationId ?? randomUUID();
  const inputData: RpcParameterBinding[] = [{ name: request.triggerName, data: request.triggerData }];

  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (name === request.triggerName || binding.direction === 'out') continue;
    if (String(binding.type).toLowerCase() === CONNECTION_INFO_TYPE) {
      let value: unknown;
      try {
        value = mintConnectionInfo(binding, request.bindingData);
      } catch (err) {
        if (err instanceof MissingBindingDataError) throw err;
        throw new BindingError(name, `Exception binding parameter '${name}': ${(err as Error).message}`, {
          cause: err,
        });
      }
      inputData.push({ name, data: toTypedData(value) ?? null });
    } else if (isStorageInput(binding.type)) {
      let data: RpcTypedData | undefined;
      try {
        data = await readStorageInput(binding, request.bindingData);
      } catch (err) {
        if (err instanceof MissingBindingDataError) throw err;
        throw new BindingError(name, `Exception binding parameter '${name}': ${(err as Error).message}`, {
          cause: err,
        });
      }
      inputData.push({ name, data: data ?? null });
    }
  }

  const response = await runInvocation(request.registry, fn, {
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
  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (binding.direction !== 'out') continue;
    const isSignalR = String(binding.type).toLowerCase() === SIGNALR_OUTPUT_TYPE;
    if (!isSignalR && !isStorageOutput(binding.type)) continue;
    const value = name === RETURN_BINDING ? fromTypedData(response.returnValue) : outputs.get(name);
    try {
      if (isSignalR) await deliverSignalROutput(binding, value, { fetch: request.fetch });
      // Storage outputs see the typed data itself: a string that holds JSON stays that string.
      else
        await deliverStorageOutput(
          binding,
          name === RETURN_BINDING ? response.returnValue : rawOutputs.get(name),
          request.bindingData,
        );
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
