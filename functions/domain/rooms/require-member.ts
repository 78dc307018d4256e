/** The membership gate of every room-scoped function: members pass, others learn 403 or, for no such room, 404. */
import type { Principal } from '../../platform/http/identity';
import { forbidden, HttpError, notFound } from '../../platform/http/responses';
import { isMember } from './memberships-store';
import { roomExists } from './rooms-store';

export async function requireMember(room: string, user: Principal): Promise<void> {
  if (await isMember(room, user.id)) return;
  throw new HttpError(
    (await roomExists(room)) ? forbidden(`You are not a member of ${room}`) : notFound(`No room ${room}`),
  );
}
