import { negotiate } from './negotiate';
import { withErrors } from './platform/http/with-errors';
import { connectionInfo } from './platform/signalr/signalr';
import { alice, invocation, request } from './testing/requests';

describe('negotiate', () => {
  it('returns the url and access token the signalRConnectionInfo binding resolved', async () => {
    const context = invocation('negotiate');
    context.extraInputs.set(connectionInfo, { url: 'http://localhost:8888/client/?hub=chat', accessToken: 'jwt' });
    const response = await withErrors(negotiate)(request('POST', 'negotiate', { user: alice }), context);
    expect(response.status).toBe(200);
    expect(response.jsonBody).toEqual({ url: 'http://localhost:8888/client/?hub=chat', accessToken: 'jwt' });
  });

  it('answers 401 without a platform principal', async () => {
    const context = invocation('negotiate');
    context.extraInputs.set(connectionInfo, { url: 'http://x/client/?hub=chat', accessToken: 'jwt' });
    const response = await withErrors(negotiate)(request('POST', 'negotiate'), context);
    expect(response.status).toBe(401);
    expect(response.jsonBody).toEqual({ error: { code: 'unauthenticated', message: 'Sign in first' } });
  });

  it('binds the user id from the principal header, never from the body', () => {
    expect(connectionInfo['userId']).toBe('{headers.x-ms-client-principal-id}');
    expect(connectionInfo['hubName']).toBe('chat');
  });
});
