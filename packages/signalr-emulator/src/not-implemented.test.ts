/**
 * What the emulator does not implement answers 501 `Error.NotImplemented` with the reason, never
 * a bare 404 or a silent success (README "Features"); a real typo still gets 404.
 */
import WebSocket from 'ws';

import { type RunningEmulator, startEmulator } from './server';
import { API_VERSION, rest } from './testing/helpers';

let emulator: RunningEmulator;
beforeAll(async () => (emulator = await startEmulator({ port: 0 })));
afterAll(() => emulator.close());

it.each([
  ['POST', '/api/hubs/chat/:generateToken', 'Generating client tokens'],
  ['POST', '/api/hubs/chat/:execute', 'Transactional commands'],
  ['POST', '/api/hubs/chat/connections/c1/:invoke', 'Invoking a client method'],
  ['POST', '/api/hubs/chat/connections/c1/streams/s1/:send', 'Server-to-client streams'],
  ['POST', '/api/hubs/chat/connections/c1/streams/s1/:complete', 'Server-to-client streams'],
  ['GET', '/api/hubs/chat/groups/room/connections', 'Listing the connections of a group'],
  ['GET', '/api/auth/accessKey', 'Issuing Microsoft Entra access keys'],
  ['POST', '/api/v1-preview/hub/chat', 'The obsolete v1-preview REST API'],
])('%s %s answers 501 with the reason', async (method, path, reason) => {
  const response = await rest(emulator, method, `${path}?${API_VERSION}`, method === 'POST' ? {} : undefined);
  expect(response.status).toBe(501);
  expect(response.headers.get('x-ms-error-code')).toBe('Error.NotImplemented');
  const body = JSON.parse(response.text) as { code: string; message: string };
  expect(body.code).toBe('Error.NotImplemented');
  expect(body.message).toContain(reason);
  expect(body.message).toContain('not implemented by the emulator');
});

it('refuses an OData filter with 501 rather than sending to recipients it would not select', async () => {
  const response = await rest(
    emulator,
    'POST',
    `/api/hubs/chat/:send?${API_VERSION}&filter=${encodeURIComponent("userId eq 'ada'")}`,
    { target: 'newMessage', arguments: ['x'] },
  );
  expect(response.status).toBe(501);
  expect(JSON.parse(response.text)).toMatchObject({
    code: 'Error.NotImplemented',
    message: expect.stringContaining('OData filter'),
  });
});

it('still answers 404 for a path that is no API of any version', async () => {
  const response = await rest(emulator, 'POST', `/api/hubs/chat/:sned?${API_VERSION}`, {});
  expect(response.status).toBe(404);
});

describe('Default mode', () => {
  it('answers 501 with the reason to an app server negotiating on /server', async () => {
    const response = await fetch(`${emulator.url}/server/negotiate?hub=chat`, { method: 'POST' });
    expect(response.status).toBe(501);
    expect(await response.text()).toContain('Default mode (app servers connecting on /server) is not implemented');
  });

  it('answers 501 to a server WebSocket on /server', async () => {
    const socket = new WebSocket(`${emulator.url.replace('http', 'ws')}/server/?hub=chat`);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      socket.on('open', () => resolve(undefined));
      socket.on('error', () => undefined);
    });
    socket.terminate();
    expect(status).toBe(501);
  });
});
