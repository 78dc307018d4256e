/**
 * Smoke test of the benchmark harness (not of speed): a tiny run of A (raw ws) and B (the emulator
 * with raw SignalR JSON clients and a real client) in this process, checking that every broadcast
 * reaches every client with a sensible latency. `npm run bench` is the benchmark itself.
 */
import { type RunningEmulator, startEmulator } from '@hubbub/signalr-emulator';

import { makePayload, readStamp, summarize } from './common';
import { LoadGenerator, type SendTarget } from './generator';
import { type RawServer, startRawServer } from './raw-server';
import { representative } from './report';

const CLIENTS = 20;
const RATE = 20;
const DURATION_MS = 1000;

async function drain(generator: LoadGenerator, expected: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (generator.progress().received < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function run(generator: LoadGenerator, target: SendTarget, clients: number, phase: number) {
  generator.begin(phase);
  const sent = await generator.send({ target, phase, rate: RATE, durationMs: DURATION_MS, payloadBytes: 200 });
  await drain(generator, sent.accepted * clients);
  return { sent, result: generator.end() };
}

describe('benchmark harness', () => {
  let raw: RawServer | undefined;
  let emulator: RunningEmulator | undefined;
  const generators: LoadGenerator[] = [];

  afterEach(async () => {
    for (const g of generators.splice(0)) g.dispose();
    await raw?.close();
    await emulator?.close();
    raw = emulator = undefined;
  });

  it('stamps payloads at the requested size and reads them back', () => {
    const payload = makePayload(7, 42, 200);
    expect(payload).toHaveLength(200);
    const stamp = readStamp(Buffer.from(`{"type":1,"target":"newMessage","arguments":["${payload}"]}\u001e`));
    expect(stamp).toMatchObject({ phase: 7, seq: 42 });
    expect(summarize([3, 1, 2, 4]).p50).toBe(2);
  });

  it('A: every broadcast reaches every raw ws client', async () => {
    raw = await startRawServer(0);
    const generator = new LoadGenerator();
    generators.push(generator);
    const connect = await generator.connect({ kind: 'raw', url: raw.url, count: CLIENTS });
    expect(connect.connected).toBe(CLIENTS);
    const { sent, result } = await run(generator, { kind: 'raw', url: raw.url }, CLIENTS, 1);
    expect(sent.accepted).toBe(sent.attempted);
    expect(sent.accepted).toBeGreaterThanOrEqual(RATE);
    expect(result.received).toBe(sent.accepted * CLIENTS);
    expect(result.latency.count).toBe(result.received);
    expect(result.latency.p50).toBeGreaterThan(0);
  });

  it('B and C: every REST broadcast reaches raw SignalR clients and real clients', async () => {
    emulator = await startEmulator({ port: 0, log: () => undefined });
    const url = `http://127.0.0.1:${emulator.port}`;
    const rawClients = new LoadGenerator();
    const realClients = new LoadGenerator();
    generators.push(rawClients, realClients);
    expect((await rawClients.connect({ kind: 'signalr-raw', url, count: CLIENTS })).connected).toBe(CLIENTS);
    expect((await realClients.connect({ kind: 'signalr-real', url, count: 2, userPrefix: 'real' })).connected).toBe(2);
    realClients.begin(2);
    const { sent, result } = await run(rawClients, { kind: 'rest', url }, CLIENTS, 2);
    await drain(realClients, sent.accepted * 2);
    const real = realClients.end();
    expect(sent.accepted).toBe(sent.attempted);
    expect(result.received).toBe(sent.accepted * CLIENTS);
    expect(real.received).toBe(sent.accepted * 2);
    expect(result.openClients).toBe(CLIENTS);
  });

  it('picks the median-p99 repeat as the representative row', () => {
    const row = (p99: number) =>
      ({
        system: 'A',
        scenario: 'step',
        payloadBytes: 200,
        offeredBroadcastsPerSecond: 20,
        latency: { p99 },
      }) as Parameters<typeof representative>[0][number];
    expect(representative([row(30), row(10), row(20)]).map((r) => r.latency.p99)).toEqual([20]);
  });
});
