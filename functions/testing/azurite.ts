/**
 * Table Storage for a Jest suite: the run's one Azurite (started by the node project's globalSetup,
 * whose connection string arrives in an environment variable), reached through a TCP relay of this
 * suite's own, so that a suite can cut storage off (and restore it) without touching other suites.
 * The relay (and one for the queues) also wires the app setting the functions read. Stop it in afterAll.
 */
import { startTcpRelay } from '../../local/testing/tcp-relay';
import { STORAGE_SETTING } from '../platform/storage/tables';

/** Set by the node project's Jest globalSetup (local/testing/azurite.ts). */
const TEST_STORAGE_ENV = 'HUBBUB_TEST_STORAGE_CONNECTION_STRING';

export interface TestAzurite {
  readonly connectionString: string;
  /** Storage goes away: open connections drop and new ones are refused, as when Azurite stops. */
  cutOff(): Promise<void>;
  /** Storage is back on the same endpoint. */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<TestAzurite> {
  const shared = process.env[TEST_STORAGE_ENV];
  const target = shared ? /TableEndpoint=http:\/\/127\.0\.0\.1:(\d+)\//.exec(shared) : null;
  if (!shared || !target) {
    throw new Error(`${TEST_STORAGE_ENV} is not set: run these tests through Jest's node project (npx jest functions)`);
  }
  // Tables and queues (push jobs) through relays of this suite's own: stopping them closes the
  // suite's connections, so no kept-alive socket outlives it.
  const relayed = [Number(target[1])];
  const queuePort = /QueueEndpoint=http:\/\/127\.0\.0\.1:(\d+)\//.exec(shared)?.[1];
  if (queuePort) relayed.push(Number(queuePort));
  const relays = await Promise.all(relayed.map((port) => startTcpRelay(port)));
  let connectionString = shared;
  relayed.forEach((port, i) => {
    connectionString = connectionString.replace(`127.0.0.1:${port}/`, `127.0.0.1:${relays[i].port}/`);
  });
  process.env[STORAGE_SETTING] = connectionString;
  return {
    connectionString,
    cutOff: async () => {
      await Promise.all(relays.map((relay) => relay.cutOff()));
    },
    restore: async () => {
      await Promise.all(relays.map((relay) => relay.restore()));
    },
    stop: async () => {
      await Promise.all(relays.map((relay) => relay.stop()));
    },
  };
}
