/**
 * The real pieces a test of events needs, started once per test file: Azurite, our SignalR emulator
 * (its connection string set as the app's setting), and real `@microsoft/signalr` clients, every
 * one stopped after the file's tests.
 */
import type { HttpResponseInit } from '@azure/functions';
import { deliverSignalROutput } from '@hubbub/functions-host';
import { type RunningEmulator, startEmulator } from '@hubbub/signalr-emulator';
import type { HubConnection } from '@microsoft/signalr';

import { clientToken, connectClient } from '../../packages/signalr-emulator/src/testing/helpers';
import type { Principal } from '../platform/http/identity';
import { type HttpHandler, withErrors } from '../platform/http/with-errors';
import { CONNECTION_SETTING, signalROut } from '../platform/signalr/signalr';
import { startAzurite, type TestAzurite } from './azurite';
import { invocation, request, type RequestOptions } from './requests';

export interface LiveStack {
  /** The running emulator (set once the file's `beforeAll` ran). */
  readonly emulator: RunningEmulator;
  /** A real client connected as `user`, stopped after the file's tests. */
  connect(user: Principal): Promise<HubConnection>;
  /** A real client connected with this access token, stopped after the file's tests. */
  connectWith(token: string): Promise<HubConnection>;
  /** Stops the emulator (a service outage); `restartEmulator` brings it back, empty, on the same port. */
  stopEmulator(): Promise<void>;
  restartEmulator(): Promise<void>;
}

/** Starts the stack before the file's tests and stops it (clients first) after them. */
export function useLiveStack(): LiveStack {
  let azurite: TestAzurite | undefined;
  let emulator: RunningEmulator | undefined;
  const clients: HubConnection[] = [];
  beforeAll(async () => {
    azurite = await startAzurite();
    emulator = await startEmulator({ port: 0 });
    process.env[CONNECTION_SETTING] = emulator.connectionString;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop().catch(() => undefined)));
    await emulator?.close();
    await azurite?.stop();
  });
  const running = (): RunningEmulator => {
    if (!emulator) throw new Error('the live stack starts in beforeAll');
    return emulator;
  };
  let port = 0;
  const stack: LiveStack = {
    get emulator() {
      return running();
    },
    connect: (user) => stack.connectWith(clientToken(user.id)),
    async connectWith(token) {
      const connection = await connectClient(running(), token);
      clients.push(connection);
      return connection;
    },
    async stopEmulator() {
      port = running().port;
      await running().close();
    },
    async restartEmulator() {
      emulator = await startEmulator({ port });
      process.env[CONNECTION_SETTING] = emulator.connectionString;
    },
  };
  return stack;
}

/** Runs a function as the host does: the handler, then its signalR output delivered to the service. */
export async function runAsHost(
  handler: HttpHandler,
  method: string,
  path: string,
  user: Principal,
  options: RequestOptions = {},
): Promise<{ response: HttpResponseInit; startedDelivery: number; delivered: number }> {
  const context = invocation(path);
  const response = await withErrors(handler)(request(method, path, { user, body: {}, ...options }), context);
  const startedDelivery = performance.now();
  await deliverSignalROutput(signalROut, context.extraOutputs.get(signalROut));
  return { response, startedDelivery, delivered: performance.now() };
}
