/** Test helpers: fixture apps, a host with captured logs, and a recording stand-in for SignalR Service. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { type HostOptions, type RunningHost, startFunctionsHost } from '../host';

export const TEST_ACCESS_KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH';

export function fixtureRoot(name: string): string {
  return join(__dirname, '..', 'test-fixtures', name);
}

export interface TestHost extends RunningHost {
  readonly logs: string[];
}

export async function startFixtureHost(name: string, options: Partial<HostOptions> = {}): Promise<TestHost> {
  const logs: string[] = [];
  const host = await startFunctionsHost({
    appRoot: fixtureRoot(name),
    port: 0,
    log: (line) => logs.push(line),
    ...options,
  });
  return Object.assign(Object.create(host) as RunningHost, host, { logs });
}

export function connectionStringFor(port: number, accessKey = TEST_ACCESS_KEY): string {
  return `Endpoint=http://localhost;Port=${port};AccessKey=${accessKey};Version=1.0;`;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RecordingServer {
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Decides each answer; default 202 with no body. */
  respond: (req: RecordedRequest) => { status: number; headers?: Record<string, string>; body?: string };
  close(): Promise<void>;
}

/** Stands in for SignalR Service's REST API: records every request and answers as told. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const recorder: RecordingServer = {
    port: 0,
    requests,
    respond: () => ({ status: 202 }),
    close: () => closeServer(server),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = recorder.respond(recorded);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(recorder, { port: (server.address() as AddressInfo).port });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The signed-in session cookie from a login response, ready for a `Cookie` header. */
export function sessionCookieFrom(response: Response): string {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('AppServiceAuthSession='));
  if (!setCookie) throw new Error('no session cookie was set');
  return setCookie.split(';')[0];
}

export async function login(host: RunningHost, name: string, provider = 'dev'): Promise<string> {
  const response = await fetch(`${host.url}/.auth/login/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, post_login_redirect_uri: '/' }).toString(),
    redirect: 'manual',
  });
  if (response.status !== 302) throw new Error(`login answered ${response.status}`);
  return sessionCookieFrom(response);
}
