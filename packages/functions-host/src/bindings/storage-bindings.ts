/**
 * The storage bindings' entry points for the executor (blob and table inputs; queue, blob and
 * table outputs) and for the host (the timer, queue and blob trigger listeners).
 */
import type { CoreRegistry, RegisteredFunction } from '../worker/core-api';
import type { RpcTypedData } from '../worker/core-types';
import type { BindingData } from './binding-expressions';
import { deliverBlobOutput, readBlobInput } from './blob-bindings';
import { startBlobListener } from './blob-trigger';
import { deliverQueueOutput, type MessageEncoding } from './queue-output';
import { queueSettingsOf, startQueueListener } from './queue-trigger';
import { storageSettingOf } from './storage-connection';
import {
  BLOB_TRIGGER_TYPE,
  BLOB_TYPE,
  QUEUE_OUTPUT_TYPE,
  QUEUE_TRIGGER_TYPE,
  STORAGE_INPUT_TYPES,
  STORAGE_OUTPUT_TYPES,
  STORAGE_TRIGGER_TYPES,
  TABLE_TYPE,
  TIMER_TRIGGER_TYPE,
} from './storage-types';
import { deliverTableOutput, readTableInput } from './table-bindings';
import { startTimerListener } from './timer-trigger';
import { readHostExtensions, type TriggerListener } from './trigger-support';

/** The app's host.json queue encoding; set when the host starts its listeners (one app per process). */
let queueEncoding: MessageEncoding = 'base64';

export function isStorageInput(type: unknown): boolean {
  return STORAGE_INPUT_TYPES.includes(String(type).toLowerCase());
}

export function isStorageOutput(type: unknown): boolean {
  return STORAGE_OUTPUT_TYPES.includes(String(type).toLowerCase());
}

/** An input binding's value as typed data for the worker; undefined when there is nothing (no such blob or entity). */
export function readStorageInput(
  binding: Readonly<Record<string, unknown>>,
  data: BindingData,
): Promise<RpcTypedData | undefined> {
  return String(binding['type']).toLowerCase() === TABLE_TYPE
    ? readTableInput(binding, data)
    : readBlobInput(binding, data);
}

export async function deliverStorageOutput(
  binding: Readonly<Record<string, unknown>>,
  value: RpcTypedData | null | undefined,
  data: BindingData,
): Promise<void> {
  const type = String(binding['type']).toLowerCase();
  if (type === QUEUE_OUTPUT_TYPE)
    await deliverQueueOutput(binding, value, { bindingData: data, encoding: queueEncoding });
  else if (type === BLOB_TYPE) await deliverBlobOutput(binding, value, data);
  else await deliverTableOutput(binding, value, data);
}

/** Storage settings the bindings of this app use, for the startup warning about unset ones. */
export function storageSettingsUsed(functions: Iterable<RegisteredFunction>): Set<string> {
  const settings = new Set<string>();
  for (const fn of functions) {
    for (const binding of Object.values(fn.bindings)) {
      const type = String(binding.type ?? '').toLowerCase();
      if (type === TIMER_TRIGGER_TYPE) continue;
      if (
        STORAGE_TRIGGER_TYPES.includes(type) ||
        STORAGE_INPUT_TYPES.includes(type) ||
        STORAGE_OUTPUT_TYPES.includes(type)
      ) {
        settings.add(storageSettingOf(binding));
      }
    }
  }
  return settings;
}

export interface TriggerListeners {
  readonly listeners: readonly TriggerListener[];
  stop(): Promise<void>;
}

/**
 * Starts a listener per timer, queue and blob trigger. A bad schedule, path or missing connection
 * stops startup (whatever already started is stopped again), naming the function.
 */
export async function startTriggerListeners(options: {
  readonly appRoot: string;
  readonly registry: CoreRegistry;
  readonly log: (line: string) => void;
}): Promise<TriggerListeners> {
  const extensions = await readHostExtensions(options.appRoot);
  const queueSettings = queueSettingsOf(extensions.queues);
  queueEncoding = queueSettings.messageEncoding;
  const listeners: TriggerListener[] = [];
  const stop = async () => {
    await Promise.all(listeners.map((l) => l.stop()));
  };
  try {
    for (const fn of options.registry.functions.values()) {
      const entry = Object.entries(fn.bindings).find(([, b]) => /trigger$/i.test(String(b.type ?? '')));
      if (!entry) continue;
      const [triggerName, trigger] = entry;
      const type = String(trigger.type).toLowerCase();
      const common = { registry: options.registry, fn, triggerName, trigger, log: options.log };
      try {
        if (type === TIMER_TRIGGER_TYPE) listeners.push(startTimerListener(common));
        else if (type === QUEUE_TRIGGER_TYPE)
          listeners.push(startQueueListener({ ...common, settings: queueSettings }));
        else if (type === BLOB_TRIGGER_TYPE) {
          listeners.push(startBlobListener({ ...common, appRoot: options.appRoot, queueSettings }));
        }
      } catch (err) {
        throw new Error(`Function "${fn.name}": ${(err as Error).message}`, { cause: err });
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { listeners, stop };
}
