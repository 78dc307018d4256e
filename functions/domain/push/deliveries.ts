/**
 * Whom a message is pushed to, and the pushes (docs/push.md "What is pushed when"):
 *
 * - candidates: the people it mentions by id (`mention`), every member for an `@room` where the
 *   room allows it (`room`), every other person of a direct or group conversation (`dm`), and the
 *   members whose level of the room is `all` (`all`, from the room's index: notify-levels.ts);
 * - then each candidate is checked now, in a batch of at most PUSH_BATCH people: not the author,
 *   still a member, no live connection (presence), level not `nothing` (and `mentions` takes only
 *   `mention`, `room` and `dm`), do not disturb off, the author not blocked by them;
 * - and pushed to each of their subscriptions. 404/410 delete the subscription; 429 and 5xx come
 *   back as a `retry` job, delayed by the service's `Retry-After` or an exponential backoff, at most
 *   PUSH_MAX_ATTEMPTS tries in all.
 *
 * Work per invocation is bounded: a `message` job reads the message, the room, the names of
 * those it mentions (at most MAX_MENTIONS) and at most
 * MAX_MENTIONS + one page of the `all` index or of the members, and enqueues batches; an `@room`
 * goes on page by page (`members` jobs); a `recipients` job checks and pushes PUSH_BATCH people.
 */
import {
  allowsRoomMentions,
  DM_PREFIX,
  GENERAL_ROOM,
  messageAddress,
  notificationTag,
  type PushPayload,
  type UserRef,
} from '../../../contract';
import { findMessage } from '../messages/room-log';
import { blocks } from '../people/blocks-store';
import { findUser } from '../people/people-store';
import { doNotDisturbUntil } from '../presence/do-not-disturb';
import { isOnline } from '../presence/presence-store';
import { readRow } from '../read-state/read-state-store';
import { listMembers } from '../rooms/member-index-store';
import { isMember } from '../rooms/memberships-store';
import { dmMembers, getRoom } from '../rooms/rooms-store';
import { excerptOf, mentionedIn } from './excerpt';
import { allLevelOf } from './notify-levels';
import { enqueue, type PushBase, type PushJob, type PushReason } from './push-queue';
import { deleteSubscription, findSubscription, type StoredSubscription, subscriptionsOf } from './subscriptions-store';
import { vapidDetails } from './vapid';
import { sendPush } from './web-push';

/** People one `recipients` job checks and pushes to. */
export const PUSH_BATCH = 25;
/** Members one `members` job reads of a room for an `@room`. */
export const MEMBER_PAGE = 500;
/** Tries of one push in all (the first and its retries). */
export const PUSH_MAX_ATTEMPTS = 5;
/** The first retry's delay; each next one doubles it, up to PUSH_MAX_RETRY_DELAY_SECONDS. */
export const PUSH_RETRY_BASE_SECONDS = 10;
export const PUSH_MAX_RETRY_DELAY_SECONDS = 15 * 60;

export interface PushLog {
  readonly log: (line: string) => void;
  readonly warn: (line: string) => void;
  readonly error: (line: string) => void;
}

/** What a job did: pushes delivered, subscriptions deleted, pushes queued again, pushes that failed. */
export interface JobResult {
  delivered: number;
  pruned: number;
  retried: number;
  failed: number;
  /** Jobs it enqueued (batches, the next page). */
  enqueued: number;
}

const reasonRank: Record<PushReason, number> = { mention: 0, dm: 1, room: 2, all: 3 };

export async function runPushJob(job: PushJob, log: PushLog): Promise<JobResult> {
  const result: JobResult = { delivered: 0, pruned: 0, retried: 0, failed: 0, enqueued: 0 };
  switch (job.kind) {
    case 'message':
      await fanOut(job.room, job.id, result);
      break;
    case 'members':
      await membersPage(job, job.mentions, job.cursor, result);
      break;
    case 'recipients':
      await pushToRecipients(job, job.recipients, log, result);
      break;
    case 'retry':
      await retryPush(job, log, result);
      break;
  }
  return result;
}

async function fanOut(room: string, id: string, result: JobResult): Promise<void> {
  const [message, entity] = await Promise.all([
    findMessage(room, id),
    room === GENERAL_ROOM ? undefined : getRoom(room),
  ]);
  if (!message || message.deleted) return;
  // Mentions read as `@Name` in the excerpt: the current names of those it mentions (at most MAX_MENTIONS).
  const named = await Promise.all(mentionedIn(message.text, message.mentions ?? []).map((person) => findUser(person)));
  const names = new Map(named.flatMap((p) => (p ? [[p.id, p.name] as const] : [])));
  const isDm = room.startsWith(DM_PREFIX);
  const people = isDm ? dmMembers(entity) : undefined;
  const base: PushBase = {
    payload: {
      room,
      roomTitle: room === GENERAL_ROOM ? 'general' : (entity?.title ?? room),
      sender: { id: message.sender.id, name: message.sender.name },
      excerpt: excerptOf(message.text, (message.attachments?.length ?? 0) > 0, names),
      messageId: message.id,
      url: messageAddress(room, message.id),
      tag: notificationTag(room, message.id),
    },
    ...(people && { dm: people.map((p) => ({ id: p.id, name: p.name })) }),
  };
  const mentions = [...(message.mentions ?? [])];
  if (message.mentionsRoom && allowsRoomMentions(room) && !isDm) {
    await membersPage(base, mentions, undefined, result);
    return;
  }
  const candidates = new Map<string, PushReason>();
  const add = (ids: readonly string[], reason: PushReason) => {
    for (const person of ids) {
      const known = candidates.get(person);
      if (!known || reasonRank[reason] < reasonRank[known]) candidates.set(person, reason);
    }
  };
  add(mentions, 'mention');
  if (people)
    add(
      people.map((p) => p.id),
      'dm',
    );
  add(await allLevelOf(room), 'all');
  candidates.delete(message.sender.id);
  await enqueueBatches(
    base,
    [...candidates].map(([person, reason]) => ({ id: person, reason })),
    result,
  );
}

/** One page of the room's members for an `@room`; the next page goes on as its own job. */
async function membersPage(
  base: PushBase,
  mentions: readonly string[],
  cursor: string | undefined,
  result: JobResult,
): Promise<void> {
  const room = base.payload.room;
  const page = await listMembers(room, { query: '', limit: MEMBER_PAGE, ...(cursor && { cursor }) });
  const named = new Set(mentions);
  const reasonOf = (id: string): PushReason => (named.has(id) ? 'mention' : 'room');
  const recipients = page.members
    .filter((m) => m.id !== base.payload.sender.id)
    .map((m) => ({ id: m.id, reason: reasonOf(m.id) }));
  await enqueueBatches(base, recipients, result);
  if (page.cursor) {
    const { payload, dm } = base;
    await enqueue({ kind: 'members', payload, ...(dm && { dm }), mentions: [...mentions], cursor: page.cursor });
    result.enqueued++;
  }
}

async function enqueueBatches(
  base: PushBase,
  recipients: { id: string; reason: PushReason }[],
  result: JobResult,
): Promise<void> {
  const jobs: PushJob[] = [];
  for (let i = 0; i < recipients.length; i += PUSH_BATCH) {
    jobs.push({ kind: 'recipients', ...base, recipients: recipients.slice(i, i + PUSH_BATCH) });
  }
  await Promise.all(jobs.map((job) => enqueue(job)));
  result.enqueued += jobs.length;
}

/** Whether the person is pushed this message now (see the top of this file). */
async function reachable(room: string, senderId: string, userId: string, reason: PushReason): Promise<boolean> {
  if (userId === senderId) return false;
  const [member, row, online, dnd, blocked] = await Promise.all([
    room === GENERAL_ROOM ? true : isMember(room, userId),
    readRow(userId, room),
    isOnline(userId),
    doNotDisturbUntil(userId),
    blocks(userId, senderId),
  ]);
  if (!member || online || dnd !== undefined || blocked) return false;
  if (row.notify === 'nothing') return false;
  return row.notify === 'all' || reason !== 'all';
}

function titleFor(base: PushBase, userId: string): string {
  if (!base.dm) return base.payload.roomTitle;
  const others: UserRef[] = base.dm.filter((p) => p.id !== userId);
  return (others.length > 0 ? others : base.dm).map((p) => p.name).join(', ') || 'direct message';
}

async function pushToRecipients(
  base: PushBase,
  recipients: readonly { id: string; reason: PushReason }[],
  log: PushLog,
  result: JobResult,
): Promise<void> {
  const room = base.payload.room;
  const vapid = vapidDetails();
  await Promise.all(
    recipients.map(async ({ id, reason }) => {
      try {
        if (!(await reachable(room, base.payload.sender.id, id, reason))) return;
        const subscriptions = await subscriptionsOf(id);
        const payload: PushPayload = { ...base.payload, roomTitle: titleFor(base, id), reason };
        await Promise.all(subscriptions.map((s) => pushOnce(id, s, payload, 1, vapid, log, result)));
      } catch (err) {
        result.failed++;
        log.error(`push: ${base.payload.messageId} in ${room} was not pushed to ${id}: ${String(err)}`);
      }
    }),
  );
}

async function retryPush(job: Extract<PushJob, { kind: 'retry' }>, log: PushLog, result: JobResult): Promise<void> {
  const subscription = await findSubscription(job.userId, job.key);
  if (!subscription) return; // removed meanwhile
  await pushOnce(job.userId, subscription, job.payload, job.attempt + 1, vapidDetails(), log, result);
}

async function pushOnce(
  userId: string,
  subscription: StoredSubscription,
  payload: PushPayload,
  attempt: number,
  vapid: ReturnType<typeof vapidDetails>,
  log: PushLog,
  result: JobResult,
): Promise<void> {
  const outcome = await sendPush(subscription, payload, vapid);
  switch (outcome.kind) {
    case 'delivered':
      result.delivered++;
      return;
    case 'gone':
      await deleteSubscription(userId, subscription.key);
      result.pruned++;
      log.log(`push: a subscription of ${userId} is gone (${outcome.status ?? 'not allowed'}); deleted`);
      return;
    case 'failed':
      result.failed++;
      log.warn(`push: the push service refused ${payload.messageId} for ${userId} with ${outcome.status}`);
      return;
    case 'retry': {
      if (attempt >= PUSH_MAX_ATTEMPTS) {
        result.failed++;
        log.warn(
          `push: ${payload.messageId} for ${userId} given up after ${attempt} tries (${outcome.status ?? 'no answer'})`,
        );
        return;
      }
      const backoff = Math.min(PUSH_RETRY_BASE_SECONDS * 2 ** (attempt - 1), PUSH_MAX_RETRY_DELAY_SECONDS);
      const delay = Math.min(outcome.retryAfterSeconds ?? backoff, PUSH_MAX_RETRY_DELAY_SECONDS);
      await enqueue({ kind: 'retry', userId, key: subscription.key, payload, attempt }, delay);
      result.retried++;
      return;
    }
  }
}
