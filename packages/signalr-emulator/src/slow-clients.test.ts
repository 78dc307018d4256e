/**
 * Slow clients against the real emulator: a client that stops reading while broadcasts flow gets
 * every message, in order, once it reads again below the bound (maxBufferedBytes); one that stays
 * stopped past the bound is disconnected (and told so in the log), and a fast client beside it
 * gets everything. WebSockets, Server-Sent Events and long polling.
 */
import http from 'node:http';

import { type RunningEmulator, startEmulator } from './server';
import { API_VERSION, clientToken, RawClient, rest, waitFor } from './testing/helpers';

const RS = '\u001e';
const cutLine = 'did not keep up';

let emulator: RunningEmulator | undefined;
let logLines: string[] = [];
const cleanups: (() => void)[] = [];

async function start(maxBufferedBytes: number): Promise<RunningEmulator> {
  logLines = [];
  emulator = await startEmulator({
    port: 0,
    maxBufferedBytes,
    longPollTimeoutMs: 1000,
    log: (line) => logLines.push(line),
  });
  return emulator;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await emulator?.close();
  emulator = undefined;
});

/** The sequence numbers of the `m` invocations in a run of JSON records. */
function seqsIn(text: string): number[] {
  return text
    .split(RS)
    .filter((record) => record.startsWith('{"type":1'))
    .map((record) => (JSON.parse(record) as { arguments: [number, string] }).arguments[0]);
}

/** A raw WebSocket client (negotiated, handshaken) that records the sequence numbers it gets. */
async function wsClient(em: RunningEmulator, user: string): Promise<{ client: RawClient; seqs: number[] }> {
  const { client } = await RawClient.negotiated(em, clientToken(user));
  cleanups.push(() => client.close());
  await client.handshake();
  const seqs: number[] = [];
  client.socket.on('message', (data: Buffer) => seqs.push(...seqsIn(data.toString('utf8'))));
  return { client, seqs };
}

function broadcast(em: RunningEmulator, seq: number, padding: string): Promise<void> {
  return rest(em, 'POST', `/api/hubs/chat/:send?${API_VERSION}`, { target: 'm', arguments: [seq, padding] }).then(
    (answer) => {
      expect(answer.status).toBe(202);
    },
  );
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Sends until the emulator reports a cut (or `max` messages); returns how many were sent. */
async function sendUntilCut(em: RunningEmulator, fast: number[], padding: string, max: number): Promise<number> {
  let sent = 0;
  while (sent < max && !logLines.some((l) => l.includes(cutLine))) {
    await broadcast(em, sent, padding);
    sent++;
    // Paced by the fast client, so the slow one's backlog is what grows.
    await waitFor(() => fast.length >= sent, 5000, `fast client to get ${sent}`);
  }
  return sent;
}

describe('WebSockets', () => {
  it('a client that stops reading and resumes below the bound gets every message in order', async () => {
    const em = await start(1024 * 1024);
    const slow = await wsClient(em, 'slow');
    const fast = await wsClient(em, 'fast');
    slow.client.socket.pause();
    const padding = 'x'.repeat(16 * 1024);
    for (const seq of range(40)) await broadcast(em, seq, padding); // 40 × 16 kB: under 1 MB
    await waitFor(() => fast.seqs.length === 40, 5000, 'the fast client');
    expect(slow.client.closeCode).toBeUndefined();
    slow.client.socket.resume();
    await waitFor(() => slow.seqs.length === 40, 5000, 'the slow client to catch up');
    expect(slow.seqs).toEqual(range(40));
    expect(fast.seqs).toEqual(range(40));
    expect(logLines.some((l) => l.includes(cutLine))).toBe(false);
  });

  it('a client that stays stopped past the bound is disconnected; the fast one gets everything', async () => {
    const em = await start(256 * 1024);
    const slow = await wsClient(em, 'slow');
    const fast = await wsClient(em, 'fast');
    slow.client.socket.pause();
    // Kernel socket buffers take several MB before the emulator holds any: 200 × 128 kB is plenty.
    const sent = await sendUntilCut(em, fast.seqs, 'x'.repeat(128 * 1024), 200);
    expect(logLines.find((l) => l.includes(cutLine))).toMatch(/connection closed .*did not keep up/);
    expect(fast.seqs).toEqual(range(sent));
    slow.client.socket.resume(); // reads what reached it, then sees the connection end
    expect(await slow.client.closed).toBe(1006);
    // What it got before the cut came whole and in order: a prefix, never a gap.
    expect(slow.seqs).toEqual(range(slow.seqs.length));
    expect(slow.seqs.length).toBeLessThan(sent);
  });
});

/** Negotiate, then the hub handshake over `connect` (SSE GET or the first long poll). */
async function negotiate(em: RunningEmulator, token: string): Promise<string> {
  const answer = await fetch(`${em.url}/client/negotiate?hub=chat&negotiateVersion=1`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  return ((await answer.json()) as { connectionToken: string }).connectionToken;
}

async function postHandshake(em: RunningEmulator, id: string, token: string): Promise<void> {
  const answer = await fetch(`${em.url}/client/?hub=chat&id=${encodeURIComponent(id)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: `{"protocol":"json","version":1}${RS}`,
  });
  expect(answer.status).toBe(200);
}

/** A raw Server-Sent Events client whose stream can be paused (it then stops reading its socket). */
async function sseClient(
  em: RunningEmulator,
): Promise<{ response: http.IncomingMessage; seqs: number[]; ended: Promise<void> }> {
  const token = clientToken('sse');
  const id = await negotiate(em, token);
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.get(
      `${em.url}/client/?hub=chat&id=${encodeURIComponent(id)}`,
      { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, agent: false },
      resolve,
    );
    request.on('error', reject);
    cleanups.push(() => request.destroy());
  });
  const seqs: number[] = [];
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    text += chunk;
    const events = text.split('\r\n\r\n');
    text = events.pop() ?? '';
    for (const event of events) {
      const data = event
        .split('\r\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      seqs.push(...seqsIn(data));
    }
  });
  response.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => response.on('close', resolve));
  await postHandshake(em, id, token);
  return { response, seqs, ended };
}

describe('Server-Sent Events', () => {
  it('a reader that pauses and resumes below the bound gets every message in order', async () => {
    const em = await start(1024 * 1024);
    const slow = await sseClient(em);
    const fast = await wsClient(em, 'fast');
    slow.response.pause();
    const padding = 'x'.repeat(16 * 1024);
    for (const seq of range(40)) await broadcast(em, seq, padding);
    await waitFor(() => fast.seqs.length === 40, 5000, 'the fast client');
    slow.response.resume();
    await waitFor(() => slow.seqs.length === 40, 5000, 'the slow reader to catch up');
    expect(slow.seqs).toEqual(range(40));
    expect(logLines.some((l) => l.includes(cutLine))).toBe(false);
  });

  it('a reader that stays paused past the bound is disconnected; the fast one gets everything', async () => {
    const em = await start(256 * 1024);
    const slow = await sseClient(em);
    const fast = await wsClient(em, 'fast');
    slow.response.pause();
    const sent = await sendUntilCut(em, fast.seqs, 'x'.repeat(128 * 1024), 200);
    expect(logLines.some((l) => l.includes(cutLine))).toBe(true);
    expect(fast.seqs).toEqual(range(sent));
    slow.response.resume();
    await slow.ended;
    expect(slow.seqs).toEqual(range(slow.seqs.length));
    expect(slow.seqs.length).toBeLessThan(sent);
  });
});

describe('Long polling', () => {
  async function lpClient(em: RunningEmulator): Promise<{ poll: () => Promise<{ status: number; seqs: number[] }> }> {
    const token = clientToken('lp');
    const id = await negotiate(em, token);
    const url = `${em.url}/client/?hub=chat&id=${encodeURIComponent(id)}`;
    const headers = { Authorization: `Bearer ${token}` };
    expect((await fetch(url, { headers })).status).toBe(200); // the confirming first poll
    await postHandshake(em, id, token);
    return {
      poll: async () => {
        const answer = await fetch(url, { headers });
        return { status: answer.status, seqs: seqsIn(await answer.text()) };
      },
    };
  }

  it('a client that stops polling and comes back below the bound gets every message in order', async () => {
    const em = await start(1024 * 1024);
    const slow = await lpClient(em);
    const fast = await wsClient(em, 'fast');
    const padding = 'x'.repeat(16 * 1024);
    for (const seq of range(40)) await broadcast(em, seq, padding);
    await waitFor(() => fast.seqs.length === 40, 5000, 'the fast client');
    const got: number[] = [];
    while (got.length < 40) {
      const answer = await slow.poll();
      expect(answer.status).toBe(200);
      got.push(...answer.seqs);
    }
    expect(got).toEqual(range(40));
    expect(logLines.some((l) => l.includes(cutLine))).toBe(false);
  });

  it('a client that stays away past the bound is disconnected (its next poll gets 204)', async () => {
    const em = await start(256 * 1024);
    const slow = await lpClient(em);
    const fast = await wsClient(em, 'fast');
    const sent = await sendUntilCut(em, fast.seqs, 'x'.repeat(64 * 1024), 50);
    // The queue is the only buffer: the cut comes with the message that would pass 256 kB.
    expect(sent).toBe(4);
    expect(logLines.some((l) => l.includes(cutLine))).toBe(true);
    expect(fast.seqs).toEqual(range(sent));
    expect((await slow.poll()).status).toBe(204);
  });
});
