import { connect } from 'node:net';

import { startFixtureHost, type TestHost } from './testing/helpers';

describe('local Functions host: HTTP triggers', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startFixtureHost('basic-app');
  });
  afterAll(async () => {
    await host.close();
  });

  it('lists the registered functions with their routes and methods', () => {
    const echo = host.functions.find((f) => f.name === 'echo');
    expect(echo).toMatchObject({
      triggerType: 'httpTrigger',
      route: 'echo/{id?}',
      path: '/api/echo/{id?}',
      methods: ['GET', 'POST', 'PUT'],
    });
    expect(host.functions.find((f) => f.name === 'echoMessage')).toMatchObject({
      triggerType: 'signalRTrigger',
      signalR: { hubName: 'chat', category: 'messages', event: 'echo' },
    });
    expect(host.url).toBe(`http://localhost:${host.port}`);
  });

  it('passes method, params, query, headers and the raw body to the handler', async () => {
    const response = await fetch(`${host.url}/api/echo/42?x=1&tag=a&tag=b`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-custom': 'yes' },
      body: 'héllo',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { url: string; invocationId: string };
    expect(body).toMatchObject({
      method: 'POST',
      params: { id: '42' },
      query: { x: '1', tag: 'b' },
      tags: ['a', 'b'],
      contentType: 'text/plain',
      custom: 'yes',
      body: 'héllo',
      functionName: 'echo',
      greeting: 'hello from settings',
    });
    expect(body.url).toBe(`http://localhost:${host.port}/api/echo/42?x=1&tag=a&tag=b`);
    expect(body.invocationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('treats an optional route parameter as absent and matches routes case-insensitively', async () => {
    const body = (await (await fetch(`${host.url}/API/Echo`)).json()) as { params: unknown };
    expect(body.params).toEqual({});
  });

  it('routes parameters and prefers literal segments', async () => {
    expect(await (await fetch(`${host.url}/api/rooms/lobby%20one/messages?before=5`)).json()).toEqual({
      room: 'lobby one',
      before: '5',
    });
    expect(await (await fetch(`${host.url}/api/rooms/new/messages`)).json()).toEqual({ literal: true });
  });

  it('supports catch-all parameters and treats function-level auth as anonymous', async () => {
    expect(await (await fetch(`${host.url}/api/files/a/b/c.txt`, { method: 'DELETE' })).json()).toEqual({
      path: 'a/b/c.txt',
      method: 'DELETE',
    });
  });

  it('parses JSON bodies and honours the status code', async () => {
    const response = await fetch(`${host.url}/api/json`, { method: 'POST', body: JSON.stringify({ a: [1, 2] }) });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ received: { a: [1, 2] } });
  });

  it('keeps binary bodies byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 0x1e, 0x0d, 0x0a]);
    const response = await fetch(`${host.url}/api/bytes`, { method: 'POST', body: bytes });
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('sends an HttpResponse status, headers, body and cookies', async () => {
    const response = await fetch(`${host.url}/api/teapot`);
    expect(response.status).toBe(418);
    expect(response.headers.get('x-fixture')).toBe('yes');
    expect(await response.text()).toBe('short and stout');
    expect(response.headers.getSetCookie()).toEqual([
      'flavour=earl-grey; Path=/; Max-Age=60; HttpOnly; SameSite=Strict',
    ]);
  });

  it('answers 204 when the handler returns nothing', async () => {
    const response = await fetch(`${host.url}/api/nothing`);
    expect(response.status).toBe(204);
  });

  it('turns a thrown error into a 500 without internals, and logs it', async () => {
    const response = await fetch(`${host.url}/api/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'Exception while executing function: Functions.boom' },
    });
    expect(text).not.toContain('hunter2');
    expect(
      host.logs.some((l) => /Executed 'Functions\.boom' \(Failed, Id=[0-9a-f-]{36}\)/.test(l) && l.includes('hunter2')),
    ).toBe(true);
  });

  it('answers 404 JSON for unknown routes and for methods a function does not accept', async () => {
    const unknown = await fetch(`${host.url}/api/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: 'not_found', message: 'No function handles GET /api/nope' },
    });
    const wrongMethod = await fetch(`${host.url}/api/json`);
    expect(wrongMethod.status).toBe(404);
  });

  it('logs one line per request with method, path, status and time, without the query', async () => {
    await fetch(`${host.url}/api/echo?access_token=secret-token`);
    expect(host.logs).toContainEqual(expect.stringMatching(/^GET \/api\/echo 200 \d+ms \(echo\)$/));
    expect(host.logs.join('\n')).not.toContain('secret-token');
  });

  it('passes context.log lines to the host log', async () => {
    await fetch(`${host.url}/api/echo`);
    expect(host.logs).toContain('[echo] echo invoked');
  });

  it('runs appStart, preInvocation and postInvocation hooks', async () => {
    const response = await fetch(`${host.url}/api/hooked`);
    expect(response.headers.get('x-pre-hook')).toBe('wrapped');
    expect(await response.json()).toEqual({ appStarted: true, post: true });
  });

  it('refuses a body declared larger than the limit with 413', async () => {
    const socket = connect(host.port, '127.0.0.1');
    socket.write(`POST /api/json HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${101 * 1024 * 1024}\r\n\r\n{`);
    const head = await new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => resolve(d.toString('utf8'))),
    );
    socket.destroy();
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(head).toContain('payload_too_large');
  });
});
