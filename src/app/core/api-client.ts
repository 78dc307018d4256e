import { inject, Injectable, InjectionToken } from '@angular/core';
import { Observable } from 'rxjs';

/** What a failed call tells the user: the server's `{ error: { code, message } }`, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From `Retry-After` on a 429 (too fast) or a 503 (busy: wait at least this long before trying again). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again later with the same request: no answer, a timeout, or a server-side failure. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status >= 500;
  }
}

export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error && error.name === 'TimeoutError')
    return new ApiError(0, 'timeout', 'The server did not answer');
  return new ApiError(0, 'network', "Can't reach the server");
}

/** The browser's fetch, injectable so tests can answer requests themselves. */
export const FETCH = new InjectionToken<typeof fetch>('fetch', {
  providedIn: 'root',
  factory: () => globalThis.fetch.bind(globalThis),
});

/**
 * Same-origin JSON calls to `/api`. Each call is a cold Observable: it starts on subscribe, and
 * unsubscribing aborts the request.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly fetch = inject(FETCH);

  get<T>(path: string): Observable<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Observable<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body?: unknown): Observable<T> {
    return this.request<T>('PUT', path, body);
  }

  patch<T>(path: string, body?: unknown): Observable<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T>(path: string): Observable<T> {
    return this.request<T>('DELETE', path);
  }

  private request<T>(method: string, path: string, body?: unknown): Observable<T> {
    return new Observable<T>((subscriber) => {
      const abort = new AbortController();
      const init: RequestInit = {
        method,
        credentials: 'same-origin',
        // Every change is sent as JSON, even without a body: the API refuses anything else (CSRF defence).
        headers:
          method === 'GET'
            ? { accept: 'application/json' }
            : { accept: 'application/json', 'content-type': 'application/json' },
        signal: abort.signal,
      };
      if (body !== undefined) init.body = JSON.stringify(body);
      this.fetch(path, init)
        .then(async (response) => {
          if (!response.ok) throw await errorFrom(response);
          const text = await response.text();
          subscriber.next((text ? JSON.parse(text) : undefined) as T);
          subscriber.complete();
        })
        .catch((error: unknown) => {
          if (!abort.signal.aborted) subscriber.error(apiErrorOf(error));
        });
      return () => abort.abort();
    });
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText || `The server answered ${response.status}`;
  try {
    const body: unknown = await response.json();
    const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    if (typeof error === 'object' && error !== null) {
      const { code: c, message: m } = error as { code?: unknown; message?: unknown };
      if (typeof c === 'string') code = c;
      if (typeof m === 'string') message = m;
    }
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiError(
    response.status,
    code,
    message,
    (response.status === 429 || response.status === 503) && Number.isFinite(retryAfter) && retryAfter > 0
      ? Math.ceil(retryAfter)
      : undefined,
  );
}
