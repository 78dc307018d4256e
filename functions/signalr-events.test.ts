import { HttpRequest } from '@azure/functions';
import { upstreamSignature } from '@hubbub/signalr-emulator';

import { signalROut } from './platform/signalr/signalr';
import { accessKeyOf, signatureFor, upstreamSignatureValid } from './platform/signalr/upstream-signature';
import { signalrEvents } from './signalr-events';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { invocation } from './testing/requests';

const KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH';
const OTHER_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210ZYXWVUTS';

describe('upstream signature', () => {
  it('reads the AccessKey of a connection string, in any case and position', () => {
    expect(accessKeyOf(`Endpoint=http://localhost;Port=8888;AccessKey=${KEY};Version=1.0;`)).toBe(KEY);
    expect(accessKeyOf(`endpoint=https://x.service.signalr.net;accesskey=a=b;version=1.0`)).toBe('a=b');
    expect(accessKeyOf('Endpoint=https://x.service.signalr.net;AuthType=azure.msi;Version=1.0;')).toBeUndefined();
    expect(accessKeyOf(undefined)).toBeUndefined();
  });

  it('accepts any of several comma-separated signatures, ignoring hex case, and nothing else', () => {
    const good = signatureFor('conn-1', KEY);
    expect(good).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(upstreamSignatureValid(good, 'conn-1', [KEY])).toBe(true);
    expect(upstreamSignatureValid(good.toUpperCase().replace('SHA256', 'sha256'), 'conn-1', [KEY])).toBe(true);
    // The service signs with its primary and its secondary key.
    expect(upstreamSignatureValid(`${signatureFor('conn-1', OTHER_KEY)}, ${good}`, 'conn-1', [KEY])).toBe(true);
    expect(upstreamSignatureValid(good, 'conn-2', [KEY])).toBe(false);
    expect(upstreamSignatureValid(good, 'conn-1', [OTHER_KEY])).toBe(false);
    expect(upstreamSignatureValid(good.slice(0, -1), 'conn-1', [KEY])).toBe(false);
    expect(upstreamSignatureValid(undefined, 'conn-1', [KEY])).toBe(false);
    expect(upstreamSignatureValid(good, 'conn-1', [])).toBe(false);
    // What our emulator sends verifies too (the local stack runs exactly this check).
    expect(upstreamSignatureValid(upstreamSignature(KEY, 'conn-1'), 'conn-1', [KEY])).toBe(true);
  });
});

describe('signalrEvents (the upstream endpoint)', () => {
  let azurite: TestAzurite;
  const saved = process.env['AzureSignalRConnectionString'];
  beforeAll(async () => {
    azurite = await startAzurite();
    process.env['AzureSignalRConnectionString'] = `Endpoint=http://localhost;Port=8888;AccessKey=${KEY};Version=1.0;`;
  }, 60_000);
  afterAll(async () => {
    if (saved === undefined) delete process.env['AzureSignalRConnectionString'];
    else process.env['AzureSignalRConnectionString'] = saved;
    await azurite.stop();
  });

  /** What the SignalR Service (and our emulator) POSTs for a connection event. */
  function upstream(
    event: string,
    connectionId: string,
    userId: string | undefined,
    overrides: Record<string, string | undefined> = {},
    body = JSON.stringify(event === 'connected' ? { type: 10 } : { type: 11 }),
  ): HttpRequest {
    const headers: Record<string, string | undefined> = {
      'content-type': 'application/json',
      'x-asrs-connection-id': connectionId,
      'x-asrs-hub': 'chat',
      'x-asrs-category': 'connections',
      'x-asrs-event': event,
      'x-asrs-user-id': userId,
      'x-asrs-signature': `${signatureFor(connectionId, OTHER_KEY)},${signatureFor(connectionId, KEY).toUpperCase().replace('SHA256', 'sha256')}`,
      ...overrides,
    };
    const defined = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    return new HttpRequest({
      method: 'POST',
      url: 'http://localhost:7071/api/signalr/events',
      headers: defined,
      body: { string: body },
    });
  }

  it('announces the first connection online and the last one gone offline, as the trigger did', async () => {
    const dave = 'dev-da7e000000000000';
    const first = invocation('signalrEvents');
    expect(await signalrEvents(upstream('connected', 'd-1', dave), first)).toEqual({ status: 200 });
    expect(first.extraOutputs.get(signalROut)).toEqual([
      { target: 'presence', arguments: [{ user: { id: dave, name: dave }, online: true, state: 'active' }] },
    ]);
    const second = invocation('signalrEvents');
    expect((await signalrEvents(upstream('connected', 'd-2', dave), second)).status).toBe(200);
    expect(second.extraOutputs.get(signalROut)).toEqual([]);

    const gone1 = invocation('signalrEvents');
    const closing = upstream('disconnected', 'd-1', dave, {}, JSON.stringify({ Type: 11, Error: 'gone' }));
    expect((await signalrEvents(closing, gone1)).status).toBe(200);
    expect(gone1.extraOutputs.get(signalROut)).toBeUndefined();
    const gone2 = invocation('signalrEvents');
    expect((await signalrEvents(upstream('disconnected', 'd-2', dave), gone2)).status).toBe(200);
    expect(gone2.extraOutputs.get(signalROut)).toEqual([
      { target: 'presence', arguments: [{ user: { id: dave, name: dave }, online: false, state: 'offline' }] },
    ]);
  });

  it('ignores anonymous connections', async () => {
    const context = invocation('signalrEvents');
    expect((await signalrEvents(upstream('connected', 'anon-1', undefined), context)).status).toBe(200);
    expect(context.extraOutputs.get(signalROut)).toBeUndefined();
  });

  it('refuses a forged, missing or other-key signature with 401 and changes nothing', async () => {
    for (const signature of [undefined, 'sha256=00', signatureFor('e-1', OTHER_KEY), signatureFor('other', KEY)]) {
      const context = invocation('signalrEvents');
      const response = await signalrEvents(
        upstream('connected', 'e-1', 'dev-e0000000000000', { 'x-asrs-signature': signature }),
        context,
      );
      expect(response.status).toBe(401);
      expect(context.extraOutputs.get(signalROut)).toBeUndefined();
    }
  });

  it('answers like the extension: 415 for other bodies, 400 without the headers, 404 for events it does not handle', async () => {
    const status = async (request: HttpRequest) => (await signalrEvents(request, invocation('signalrEvents'))).status;
    expect(await status(upstream('connected', 'f-1', 'u', { 'content-type': 'text/plain' }))).toBe(415);
    for (const header of ['x-asrs-hub', 'x-asrs-category', 'x-asrs-event', 'x-asrs-connection-id']) {
      expect(await status(upstream('connected', 'f-1', 'u', { [header]: undefined }))).toBe(400);
    }
    expect(await status(upstream('connected', 'f-1', 'u', { 'x-asrs-hub': 'other' }))).toBe(404);
    expect(await status(upstream('broadcast', 'f-1', 'u', { 'x-asrs-category': 'messages' }))).toBe(404);
    expect(await status(upstream('disconnected', 'f-1', 'u', {}, 'not json'))).toBe(400);
  });

  it('refuses everything when the connection string has no AccessKey to verify with', async () => {
    const key = process.env['AzureSignalRConnectionString'];
    process.env['AzureSignalRConnectionString'] =
      'Endpoint=https://x.service.signalr.net;AuthType=azure.msi;Version=1.0;';
    try {
      const context = invocation('signalrEvents');
      expect((await signalrEvents(upstream('connected', 'g-1', 'dev-g'), context)).status).toBe(500);
      expect(context.extraOutputs.get(signalROut)).toBeUndefined();
    } finally {
      process.env['AzureSignalRConnectionString'] = key;
    }
  });
});
