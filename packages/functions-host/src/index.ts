/** The package's programmatic API: start a host in-process, and the SignalR pieces Hubbub's own tests drive directly. */
export { parseConnectionString, type SignalRConnection } from './bindings/connection-string';
export { deliverSignalROutput, planSignalRCalls, type SignalRRestCall } from './bindings/signalr-output';
export {
  DEFAULT_PORT,
  type HostOptions,
  type RegisteredFunctionInfo,
  type RunningHost,
  startFunctionsHost,
} from './host';
