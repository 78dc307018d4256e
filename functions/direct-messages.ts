/** directMessages: `POST /api/dms` `{ userId }` — opens (or reopens) the private room of two people. */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { Routes } from '../contract';
import { badRequest, json, notFound, readJsonObject, requireJson } from './lib/http';
import { requireUser } from './lib/identity';
import { getRoom, openDm, toRoom } from './lib/rooms-store';
import { signalROut } from './lib/signalr';
import { findUser } from './lib/users-store';
import { withErrors } from './lib/with-errors';

export async function postDm(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const otherId = (await readJsonObject(request))['userId'];
  if (typeof otherId !== 'string' || otherId === '') return badRequest('userId must name a person');
  if (otherId === user.id) return badRequest('A direct message needs someone else');
  const other = await findUser(otherId);
  if (!other) return notFound('No such person');
  const name = await openDm(user, other);
  const entity = await getRoom(name);
  if (!entity) throw new Error(`direct message room ${name} vanished`);
  context.extraOutputs.set(signalROut, [
    { action: 'add', groupName: name, userId: user.id },
    { action: 'add', groupName: name, userId: other.id },
  ]);
  return json(200, toRoom(entity, user, true));
}

app.http('directMessages', {
  route: Routes.directMessages,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postDm),
});
