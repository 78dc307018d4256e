/**
 * messages: accepts `{ id, room, text, replyTo?, mentions?, mentionsRoom? }` from a member of the
 * room, stores it once per id as the room's next change and broadcasts `newMessage` to the room
 * (and `mention`, domain/mentions/mentions.ts; the author's `readState`,
 * domain/read-state/author-read-state.ts), then enqueues its push job (domain/push/push-queue.ts).
 *
 * A repeated id stores nothing, sends nothing and answers the stored message, so a client may
 * retry freely. If the first attempt's broadcast failed after the message was stored (the output
 * binding runs after this function returns, and its failure is the 500 the client saw), the client
 * asks for the broadcast again through `announceMessage`.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { DM_PREFIX, NewMessageRequestSchema, ROOM_MENTION_RATE_LIMIT, Routes } from '../contract';
import { checkUploads } from './domain/attachments/attachments';
import { keptMentions, mentionEvents, toldByNew } from './domain/mentions/mentions';
import { presentOne } from './domain/messages/message-view';
import { createMessage, findMessage, prepareCreate } from './domain/messages/room-log';
import { blockedDm, dmBlocks } from './domain/people/blocks-store';
import { findUser } from './domain/people/people-store';
import { pushSoon } from './domain/push/push-queue';
import { authorReadMove } from './domain/read-state/author-read-state';
import { requireMember, requireWritable } from './domain/rooms/require-member';
import { indexSoon } from './domain/search/search-index';
import { type Principal, requireUser } from './platform/http/identity';
import { allInOrder } from './platform/http/in-order';
import { takeSendToken, takeToken } from './platform/http/rate-limit';
import { checked, readJsonObject, requireJson } from './platform/http/requests';
import { conflict, HttpError, json, notFound, tooManyRequests } from './platform/http/responses';
import { withErrors } from './platform/http/with-errors';
import { roomMessage, signalROut } from './platform/signalr/signalr';

export async function postMessage(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const user = requireUser(request);
  requireJson(request);
  const { id, room, text, replyTo, mentions, mentionsRoom, attachments } = checked(
    NewMessageRequestSchema,
    await readJsonObject(request),
  );
  // A plain send answers after three steps of storage round trips (counted by messages-round-trips.test.ts):
  // 1. every read together: membership and the room's row (archived?), the send limit's bucket, the room's counter (unless this
  //    instance knows it) and the author's read position;
  // 2. the limit's write;
  // 3. the message's transaction, beside which the author's read position moves and is counted.
  // Membership and the send limit are checked together, answering as if in turn: a non-member
  // learns 403/404 even while over the limit. The bucket is read during the membership check but
  // written only once it passed (the gate), so a refused non-member spends no token.
  // In a DM, the pair's block row is read with them (docs/security.md "Blocking"): a refused send
  // spends no token either.
  const since = Date.now();
  const member = requireWritable(room, user);
  const gate = room.startsWith(DM_PREFIX) ? allInOrder([member, requireUnblockedDm(room, user)]) : member;
  const counter = prepareCreate(room);
  // A counter read now is newer than the membership check beside it: check again once it is read,
  // beside the limit's write (no step of its own), for createMessage's gate.
  // The limit's write is sent once the first check passed and the bucket was read: the work meant to
  // run beside it (membership checked again, the sender's chosen name) starts then, never ahead of
  // it (started earlier it could end before that write began: a step of its own in time, not in need).
  let beginWrite!: () => void;
  const writing = new Promise<void>((resolve) => (beginWrite = resolve));
  const again = Promise.all([counter, writing]).then(([read]) => {
    if (!read) return undefined;
    const check = { since: Date.now(), done: requireMember(room, user) };
    check.done.catch(() => undefined); // awaited by the gate only when needed
    return check;
  });
  const stillMember = async (at: number | undefined) => {
    if (at !== undefined && at <= since) return;
    const early = await again;
    if (early && at !== undefined && at <= early.since) return early.done;
    return requireMember(room, user);
  };
  const readMove = authorReadMove(user, room);
  // The name the person chose (docs/people.md), not the platform's: read beside the limit's write
  // (a refused send reads nothing more).
  const named = writing.then(() => findUser(user.id)).catch(() => undefined);
  const [, rate] = await allInOrder([gate, takeSendToken(user.id, Date.now(), gate, beginWrite)]);
  if (!rate.allowed) {
    // A retry of a message that is already stored is not a new send: answer it as accepted.
    const stored = await findMessage(room, id);
    if (!stored) return tooManyRequests(rate.retryAfterSeconds);
    return json(200, await presentOne(stored));
  }
  // The message's own checks only read, so they run together (after the limit: a refused send
  // costs no more reads), and refuse in a fixed order whichever read answers first: the reply, then
  // the files. Marking the uploads as this message's waits until all passed: a marked upload is no
  // longer swept as abandoned and no other message may carry it, so a refused reply must not leave
  // its files marked. A plain send has none of these.
  const [, kept, uploads] = await allInOrder([
    replyTo === undefined ? Promise.resolve() : requireRepliable(room, replyTo),
    keptMentions(room, mentions, mentionsRoom),
    attachments?.length ? checkUploads(room, user, id, attachments) : Promise.resolve(undefined),
  ]);
  if (kept.mentionsRoom) {
    // `@room` tells the whole room: a budget of its own per person and room (a plain send has none).
    const roomRate = await takeToken(`room-mention.${room}`, user.id, ROOM_MENTION_RATE_LIMIT);
    if (!roomRate.allowed) {
      const stored = await findMessage(room, id);
      if (!stored) return tooManyRequests(roomRate.retryAfterSeconds);
      return json(200, await presentOne(stored));
    }
  }
  const files = await uploads?.claim();
  const draft = {
    id,
    text,
    sender: { id: user.id, name: (await named)?.name ?? user.name },
    sentAt: new Date().toISOString(),
    replyTo,
    attachments: files,
    ...toldByNew(user, kept),
  };
  await counter;
  let saved;
  try {
    // A removal racing this send: see createMessage's gate.
    saved = await createMessage(room, { ...draft, ...kept }, readMove.beside, stillMember);
  } catch (err) {
    await readMove.undo(context);
    throw err;
  }
  if (!saved.created) {
    await readMove.undo(context);
    return json(200, await presentOne(saved.message));
  }
  const message = await presentOne(saved.message);
  // Besides `newMessage`: the author's `readState` (its write went with the commit), then the
  // `mention` events (none, and no round trip, for a plain send in a room). The two are
  // independent (the author is never told of a mention), so they are worked out together.
  const [readState, mentioned] = await Promise.all([
    readMove.settle(context, saved.message),
    mentionEvents(context, user, saved.message, message),
  ]);
  context.extraOutputs.set(signalROut, [roomMessage(room, 'newMessage', message), ...readState, ...mentioned]);
  // The search index catches up once this answer is on its way (docs/search.md): a send never waits for it.
  indexSoon(room, (line) => context.warn(line));
  // So does its push job (docs/push.md): one queue message, whose failure is logged and counted.
  pushSoon(room, saved.message.id, (line) => context.error(line));
  return json(201, message);
}

/** A DM where either person blocks the other takes no new message (403). */
async function requireUnblockedDm(room: string, user: Principal): Promise<void> {
  const refusal = blockedDm(await dmBlocks(room, user.id));
  if (refusal) throw new HttpError(refusal);
}

/** A reply answers a message of the same room that is still there. */
async function requireRepliable(room: string, id: string): Promise<void> {
  const original = await findMessage(room, id);
  if (!original) throw new HttpError(notFound(`No message ${id} in ${room} to reply to`));
  if (original.deleted) throw new HttpError(conflict('That message was deleted; it cannot be replied to'));
}

app.http('messages', {
  route: Routes.messages,
  methods: ['POST'],
  authLevel: 'anonymous',
  extraOutputs: [signalROut],
  handler: withErrors(postMessage),
});
