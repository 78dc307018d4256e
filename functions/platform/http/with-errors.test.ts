import { InvocationContext } from '@azure/functions';

import { request } from '../../testing/requests';
import { StorageUnavailableError } from '../storage/tables';
import { HttpError, notFound } from './responses';
import { withErrors } from './with-errors';

const contextLogging = (errors: string[]) =>
  new InvocationContext({
    functionName: 'probe',
    invocationId: 'test-probe',
    logHandler: (level, ...args) => {
      if (level === 'error') errors.push(args.map(String).join(' '));
    },
  });

describe('withErrors', () => {
  it('passes a handler’s own response through', async () => {
    const response = await withErrors(async () => ({ status: 204 }))(request('GET', 'x'), contextLogging([]));
    expect(response).toEqual({ status: 204 });
  });

  it('answers a thrown HttpError with its response', async () => {
    const handler = withErrors(async () => {
      throw new HttpError(notFound('No room x'));
    });
    const response = await handler(request('GET', 'x'), contextLogging([]));
    expect(response.status).toBe(404);
    expect(response.jsonBody).toEqual({ error: { code: 'not_found', message: 'No room x' } });
  });

  it('answers a storage outage with 503 and logs it, never sending the error to the client', async () => {
    const errors: string[] = [];
    const handler = withErrors(async () => {
      throw new StorageUnavailableError('connect ECONNREFUSED 127.0.0.1:10002');
    });
    const response = await handler(request('GET', 'x'), contextLogging(errors));
    expect(response.status).toBe(503);
    expect(response.jsonBody).toMatchObject({ error: { code: 'service_unavailable' } });
    expect(JSON.stringify(response)).not.toContain('ECONNREFUSED');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe('probe: connect ECONNREFUSED 127.0.0.1:10002');
  });

  it('lets anything unexpected reach the host', async () => {
    const handler = withErrors(async () => {
      throw new TypeError('a bug');
    });
    await expect(handler(request('GET', 'x'), contextLogging([]))).rejects.toThrow('a bug');
  });
});
