/**
 * The storage `queueTrigger`, run as the extension's QueueListener runs it: batches of up to
 * `batchSize` messages held invisible while the function runs, deleted on success, made visible
 * again after `visibilityTimeout` on failure, moved to `<queue>-poison` once a message has been
 * tried `maxDequeueCount` times, and polling with a randomised exponential backoff up to
 * `maxPollingInterval` while the queue is empty (woken at once by this host's own queue output).
 */
import type { DequeuedMessageItem } from '@azure/storage-queue';

import type { BindingType, HostContext, TriggerListener, TriggerTarget } from './binding';
import { executeAndLog } from './execute-and-log';
import { queueNameOf } from './queue-output';
import { MIN_POLLING_MS } from './queue-settings';
import { storageAppSetting, storageConnectionOf } from './storage-connection';
import { dotNetUtc, expressionValues, StoppableDelay, triggerMetadataOf } from './trigger-support';

export const queueTrigger: BindingType = {
  name: 'queueTrigger',
  directions: ['trigger'],
  startListener: startQueueListener,
  appSetting: storageAppSetting,
};

/** How long a dequeued message stays invisible while the function runs (the extension renews it; we do not). */
const PROCESSING_VISIBILITY_SECONDS = 600;

/** host.json `extensions.queues` (host.queues) sets batches, retries, visibility and polling. */
export function startQueueListener(target: TriggerTarget, host: HostContext): TriggerListener {
  const { fn, trigger } = target;
  const { log, queues: settings, storage } = host;
  const connectionString = storageConnectionOf(trigger);
  const queueName = queueNameOf(trigger, { params: {} });
  const queue = storage.queueClient(connectionString, queueName);
  const poisonName = `${queueName}-poison`;
  const delay = new StoppableDelay();
  const running = new Set<Promise<void>>();
  const unregister = storage.onQueueWrite(connectionString, queueName, () => delay.wake());

  const moveToPoison = async (message: DequeuedMessageItem, why: string) => {
    log(`[${fn.name}] ${why} Moving message to queue '${poisonName}'.`);
    const poison = storage.queueClient(connectionString, poisonName);
    await poison.createIfNotExists();
    // The message goes over as it is stored, still in the queue's encoding.
    await poison.sendMessage(message.messageText);
    await queue.deleteMessage(message.messageId, message.popReceipt);
  };

  const processMessage = async (message: DequeuedMessageItem) => {
    if (message.dequeueCount > settings.maxDequeueCount) {
      await moveToPoison(message, `Message has reached MaxDequeueCount of ${settings.maxDequeueCount}.`);
      return;
    }
    let text = message.messageText;
    if (settings.messageEncoding === 'base64') {
      const decoded = Buffer.from(text, 'base64');
      // Buffer.from ignores junk; a strict check is a round trip (padding may be left off).
      if (decoded.toString('base64').replace(/=+$/, '') !== text.trim().replace(/=+$/, '')) {
        // The extension (v5) does not run the function for a message it cannot decode.
        await moveToPoison(
          message,
          `Message ${message.messageId} is not valid base64, which host.json extensions.queues.messageEncoding ` +
            `("base64", the default) requires; send base64 text or set messageEncoding to "none".`,
        );
        return;
      }
      text = decoded.toString('utf8');
    }
    const values: Record<string, unknown> = {
      QueueTrigger: text,
      DequeueCount: message.dequeueCount,
      ExpirationTime: dotNetUtc(message.expiresOn),
      InsertionTime: dotNetUtc(message.insertedOn),
      NextVisibleTime: dotNetUtc(message.nextVisibleOn),
      Id: message.messageId,
      PopReceipt: message.popReceipt,
    };
    const params = expressionValues(values);
    // A JSON message's top-level properties are binding data too ({orderId} in an output path).
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body))
        Object.assign(params, expressionValues(body as Record<string, unknown>));
    } catch {
      // plain text
    }
    const result = await executeAndLog(
      host,
      {
        fn,
        triggerName: target.triggerName,
        triggerData: { string: text },
        triggerMetadata: triggerMetadataOf(fn.name, values),
        bindingData: { params },
      },
      `Id=${message.messageId}`,
    );
    if (!result) {
      if (message.dequeueCount >= settings.maxDequeueCount) {
        await moveToPoison(message, `Message has reached MaxDequeueCount of ${settings.maxDequeueCount}.`);
      } else {
        await queue.updateMessage(
          message.messageId,
          message.popReceipt,
          undefined,
          Math.round(settings.visibilityTimeoutMs / 1000),
        );
      }
      return;
    }
    await queue.deleteMessage(message.messageId, message.popReceipt);
  };

  const track = (message: DequeuedMessageItem) => {
    const work = processMessage(message).catch((err: unknown) => {
      log(`[${fn.name}] Queue '${queueName}': handling message ${message.messageId} failed: ${(err as Error).message}`);
    });
    const tracked = work.finally(() => running.delete(tracked));
    running.add(tracked);
  };

  const loop = (async () => {
    let backoff = MIN_POLLING_MS;
    while (!delay.stopped) {
      // As the extension: fetch a new batch only when fewer than newBatchThreshold are in flight.
      if (running.size > settings.newBatchThreshold) {
        await Promise.race(running);
        continue;
      }
      let messages: DequeuedMessageItem[] = [];
      try {
        const response = await queue.receiveMessages({
          numberOfMessages: settings.batchSize,
          visibilityTimeout: PROCESSING_VISIBILITY_SECONDS,
        });
        messages = response.receivedMessageItems;
      } catch (err) {
        // A queue that does not exist yet reads as empty, as in the extension.
        if ((err as { statusCode?: number }).statusCode !== 404) {
          log(`[${fn.name}] Queue '${queueName}' could not be read: ${(err as Error).message}`);
        }
      }
      if (delay.stopped) {
        // Stopping: hand the batch back at once rather than hiding it for ten minutes.
        await Promise.all(
          messages.map((m) => queue.updateMessage(m.messageId, m.popReceipt, undefined, 0).catch(() => undefined)),
        );
        break;
      }
      if (messages.length > 0) {
        backoff = MIN_POLLING_MS;
        for (const message of messages) track(message);
        continue;
      }
      // Randomised exponential backoff, as the extension's RandomizedExponentialBackoffStrategy.
      backoff = Math.min(settings.maxPollingIntervalMs, backoff * 2);
      const wait = Math.round(backoff * (0.8 + Math.random() * 0.4));
      if (!(await delay.wait(Math.min(wait, settings.maxPollingIntervalMs)))) break;
    }
    await Promise.all(running);
  })();

  return {
    functionName: fn.name,
    async stop() {
      unregister();
      delay.stop();
      await loop;
    },
  };
}
