/**
 * The contract between the host and its bindings. Each binding type is one module exporting a
 * BindingType, listed once in registry.ts. What a binding needs of the running host (settings,
 * storage clients, running a function) comes in its HostContext, one per started host, never
 * through module variables.
 */
import type { RegisteredFunction } from '../worker/core-api';
import type { RpcInvocationResponse, RpcTypedData } from '../worker/core-types';
import type { BindingData } from './binding-expressions';
import type { QueueSettings } from './queue-settings';
import type { StorageClients } from './storage-clients';

export type BindingDirection = 'trigger' | 'in' | 'out';

/** A binding as the app registered it: `type`, `direction` and the binding's own properties. */
export type BindingProperties = Readonly<Record<string, unknown>>;

export interface BindingType {
  /** The type as apps register it (e.g. `signalRConnectionInfo`); matched ignoring case. */
  readonly name: string;
  /** How the host supports it; any other use fails startup. */
  readonly directions: readonly BindingDirection[];
  /** Input: the value before the handler runs, as typed data; undefined when there is none. */
  readonly readInput?: (binding: BindingProperties, ctx: BindingContext) => Promise<RpcTypedData | undefined>;
  /**
   * Output: what the function set, as the worker sent it, delivered after the handler returned.
   * Without it the trigger reads the value itself (the HTTP response).
   */
  readonly deliverOutput?: (
    binding: BindingProperties,
    data: RpcTypedData | null | undefined,
    ctx: BindingContext,
  ) => Promise<void>;
  /**
   * Trigger: starts the host's source for it (timer, queue, blob); throws when the trigger cannot
   * run. Without it the host's HTTP server serves the trigger (httpTrigger, signalRTrigger).
   */
  readonly startListener?: (target: TriggerTarget, host: HostContext) => TriggerListener;
  /** The app setting its connection uses, for the startup warning about unset ones. */
  readonly appSetting?: (binding: BindingProperties) => AppSettingUse;
}

export interface AppSettingUse {
  readonly setting: string;
  readonly service: 'SignalR' | 'storage';
}

/** One invocation's view for its input and output bindings. */
export interface BindingContext {
  readonly host: HostContext;
  readonly bindingData: BindingData;
  readonly fetch?: typeof fetch;
}

/** A function and its trigger binding. */
export interface TriggerTarget {
  readonly fn: RegisteredFunction;
  readonly triggerName: string;
  readonly trigger: BindingProperties;
}

/** A running trigger source: the host stops each one, waiting for invocations in flight. */
export interface TriggerListener {
  readonly functionName: string;
  stop(): Promise<void>;
}

/** What a trigger hands the host to run a function. */
export interface Invocation {
  readonly fn: RegisteredFunction;
  readonly triggerName: string;
  readonly triggerData: RpcTypedData;
  readonly triggerMetadata?: Record<string, RpcTypedData>;
  readonly bindingData: BindingData;
  readonly fetch?: typeof fetch;
  /** Chosen by the caller when it wants to log the id of a failed invocation. */
  readonly invocationId?: string;
}

export interface InvocationResult {
  readonly invocationId: string;
  readonly response: RpcInvocationResponse;
  /** Output values by binding name, as the bindings see them. */
  readonly outputs: ReadonlyMap<string, unknown>;
  readonly returnValue: unknown;
}

/** The running host, as its bindings see it. */
export interface HostContext {
  readonly appRoot: string;
  readonly log: (line: string) => void;
  /** host.json `extensions.queues`, read once at start (queue triggers, queue outputs' encoding, blob poison reports). */
  readonly queues: QueueSettings;
  /** This host's storage clients, and the signals by which its own writes wake its listeners. */
  readonly storage: StorageClients;
  /** Runs the function with its input and output bindings; rejects when it or a binding fails. */
  execute(invocation: Invocation): Promise<InvocationResult>;
}
