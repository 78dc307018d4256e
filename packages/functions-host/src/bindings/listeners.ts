/**
 * Starts the trigger sources the host runs itself (timer, queue, blob: the registered types with
 * `startListener`) after loading the app, and stops them before appTerminate.
 */
import type { RegisteredFunction } from '../worker/core-api';
import type { HostContext, TriggerListener } from './binding';
import { bindingType } from './registry';

export interface TriggerListeners {
  readonly listeners: readonly TriggerListener[];
  stop(): Promise<void>;
}

/**
 * A listener per trigger that has one. A bad schedule, path or missing connection stops startup
 * (whatever already started is stopped again), naming the function.
 */
export async function startTriggerListeners(
  functions: Iterable<RegisteredFunction>,
  host: HostContext,
): Promise<TriggerListeners> {
  const listeners: TriggerListener[] = [];
  const stop = async () => {
    await Promise.all(listeners.map((l) => l.stop()));
  };
  try {
    for (const fn of functions) {
      const entry = Object.entries(fn.bindings).find(([, b]) => /trigger$/i.test(String(b.type ?? '')));
      if (!entry) continue;
      const [triggerName, trigger] = entry;
      const start = bindingType(trigger.type)?.startListener;
      if (!start) continue;
      try {
        listeners.push(start({ fn, triggerName, trigger }, host));
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
