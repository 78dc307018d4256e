/**
 * The bindings this host implements, by type. A new binding is one module exporting a BindingType
 * and one line in BINDINGS; the executor, the listeners, the startup checks and warnings find it here.
 */
import type { BindingType } from './binding';
import { blobBinding } from './blob-bindings';
import { blobTrigger } from './blob-trigger';
import { httpOutput, httpTrigger } from './http';
import { queueOutput } from './queue-output';
import { queueTrigger } from './queue-trigger';
import { signalRConnectionInfo } from './signalr-connection-info';
import { signalROutput } from './signalr-output';
import { signalRTrigger } from './signalr-trigger';
import { tableBinding } from './table-bindings';
import { timerTrigger } from './timer-trigger';

/** In the order the "supported:" list of the startup error names them. */
export const BINDINGS: readonly BindingType[] = [
  httpTrigger,
  signalRTrigger,
  timerTrigger,
  queueTrigger,
  blobTrigger,
  httpOutput,
  signalRConnectionInfo,
  signalROutput,
  queueOutput,
  blobBinding,
  tableBinding,
];

const byType = new Map(BINDINGS.map((b) => [b.name.toLowerCase(), b]));

/** The binding type registered as `type` (any case), if this host implements it. */
export function bindingType(type: unknown): BindingType | undefined {
  return typeof type === 'string' ? byType.get(type.toLowerCase()) : undefined;
}
