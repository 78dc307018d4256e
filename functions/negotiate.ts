/**
 * negotiate: hands the browser the SignalR Service URL and an access token for the signed-in user.
 * The `@microsoft/signalr` client POSTs here and follows the `{ url, accessToken }` redirect itself.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { NEGOTIATE_RATE_LIMIT, Routes } from '../contract';
import { rememberUser } from './domain/people/people-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { json } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { tokenForUser } from './platform/signalr/client-token';
import { CONNECTION_SETTING, connectionInfo } from './platform/signalr/signalr';
import { StorageUnavailableError } from './platform/storage/tables';

export async function negotiate(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  // The limit is kept in storage; with storage down, connecting (and hearing others) still works.
  await requireToken('negotiate', user.id, NEGOTIATE_RATE_LIMIT).catch((err: unknown) => {
    if (!(err instanceof StorageUnavailableError)) throw err;
    context.warn(`negotiate: rate limit not checked: ${err.message}`);
  });
  // Best effort: the people list and DMs need the name; chatting must not depend on it.
  await rememberUser(user).catch((err: unknown) =>
    context.warn(`negotiate: could not record ${user.id}: ${String(err)}`),
  );
  const info = context.extraInputs.get(connectionInfo) as { url: string; accessToken: string } | undefined;
  if (!info?.url || !info.accessToken) {
    context.error('negotiate: the signalRConnectionInfo binding returned no connection info');
    return json(500, { error: { code: 'internal', message: 'SignalR connection info is unavailable' } });
  }
  // The binding names the user by the platform's id header; people of another provider than the
  // app's are `<provider>|<id>` (identity.ts hubbubUserId), so their token is given Hubbub's id.
  const accessToken =
    request.headers.get('x-ms-client-principal-id') === user.id
      ? info.accessToken
      : tokenForUser(info.accessToken, user.id, process.env[CONNECTION_SETTING]);
  return json(200, { url: info.url, accessToken });
}

app.http('negotiate', {
  route: Routes.negotiate,
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  extraInputs: [connectionInfo],
  handler: withErrors(negotiate),
});
