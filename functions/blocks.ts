/**
 * blocks: `GET /api/me/blocks` — the people the caller blocked; `PUT /api/me/blocks/{userId}` blocks
 * someone, `DELETE` unblocks them. Blocked people cannot open or send in a direct message with the
 * caller, and their mentions do not notify the caller or count (docs/security.md "Blocking").
 */
import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import {
  BLOCK_RATE_LIMIT,
  type BlockList,
  check,
  LIST_READ_RATE_LIMIT,
  MAX_BLOCKS,
  Routes,
  UserIdSchema,
} from '../contract';
import { block, blockList, unblock } from './domain/people/blocks-store';
import { usersOf } from './domain/people/cards';
import { findUser } from './domain/people/people-store';
import { requireUser } from './platform/http/identity';
import { requireToken } from './platform/http/rate-limit';
import { badRequest, conflict, json, notFound } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';

export async function getBlocks(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  await requireToken('list-blocks', user.id, LIST_READ_RATE_LIMIT);
  const body: BlockList = { users: await usersOf(await blockList(user.id)) };
  return json(200, body);
}

/** PUT blocks (200 with the person), DELETE unblocks (204); both idempotent. */
export async function changeBlock(request: HttpRequest): Promise<HttpResponseInit> {
  const user = requireUser(request);
  const valid = check(UserIdSchema, request.params['userId']);
  if (!valid.ok) return badRequest(valid.message);
  if (valid.value === user.id) return badRequest('You cannot block yourself');
  if (request.method === 'DELETE') {
    await requireToken('block', user.id, BLOCK_RATE_LIMIT);
    await unblock(user.id, valid.value);
    return { status: 204 };
  }
  const [, other] = await Promise.all([requireToken('block', user.id, BLOCK_RATE_LIMIT), findUser(valid.value)]);
  if (!other) return notFound('No such person');
  if (!(await block(user, other))) return conflict(`You can block at most ${MAX_BLOCKS} people: unblock someone first`);
  return json(200, other);
}

app.http('blocks', { route: Routes.blocks, methods: ['GET'], authLevel: 'anonymous', handler: withErrors(getBlocks) });

app.http('block', {
  route: Routes.block,
  methods: ['PUT', 'DELETE'],
  authLevel: 'anonymous',
  handler: withErrors(changeBlock),
});
