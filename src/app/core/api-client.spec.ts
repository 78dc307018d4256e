import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { ApiClient, ApiError, FETCH } from './api-client';

function respond(response: Response | Error): { client: ApiClient; requests: { url: string; init: RequestInit }[] } {
  const requests: { url: string; init: RequestInit }[] = [];
  TestBed.configureTestingModule({
    providers: [
      {
        provide: FETCH,
        useValue: (url: string, init: RequestInit) => {
          requests.push({ url, init });
          return response instanceof Error ? Promise.reject(response) : Promise.resolve(response);
        },
      },
    ],
  });
  return { client: TestBed.inject(ApiClient), requests };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return {
    ok: status < 300,
    status,
    statusText: '',
    headers: new Headers(headers),
    text: async () => JSON.stringify(body),
    json: async () => body,
  } as Response;
}

describe('ApiClient', () => {
  it('posts JSON to the same origin and returns the parsed answer', async () => {
    const { client, requests } = respond(json(201, { id: 'm1' }));
    await expect(firstValueFrom(client.post('/api/messages', { id: 'm1' }))).resolves.toEqual({ id: 'm1' });
    expect(requests[0]?.url).toBe('/api/messages');
    expect(requests[0]?.init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"id":"m1"}' });
  });

  it('sends even a bodiless change as JSON, which the API requires as its CSRF defence', async () => {
    const { client, requests } = respond(json(202, {}));
    await firstValueFrom(client.post('/api/rooms/general/typing'));
    expect(requests[0]?.init.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it("turns the server's error body and Retry-After into an ApiError", async () => {
    const { client } = respond(
      json(429, { error: { code: 'rate_limited', message: 'Too many messages' } }, { 'Retry-After': '4' }),
    );
    const error = await firstValueFrom(client.post('/api/messages', {})).catch((e: unknown) => e);
    expect(error).toEqual(
      expect.objectContaining({
        status: 429,
        code: 'rate_limited',
        message: 'Too many messages',
        retryAfterSeconds: 4,
      }),
    );
    expect((error as ApiError).transient).toBe(false);
  });

  it("keeps a busy server's Retry-After (503), which is transient", async () => {
    const { client } = respond(
      json(503, { error: { code: 'service_unavailable', message: 'Busy' } }, { 'Retry-After': '2' }),
    );
    const error = (await firstValueFrom(client.post('/api/messages', {})).catch((e: unknown) => e)) as ApiError;
    expect(error).toEqual(expect.objectContaining({ status: 503, retryAfterSeconds: 2 }));
    expect(error.transient).toBe(true);
  });

  it('reports an unreachable server as a transient failure', async () => {
    const { client } = respond(new TypeError('Failed to fetch'));
    const error = (await firstValueFrom(client.get('/api/me')).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.transient).toBe(true);
  });
});
