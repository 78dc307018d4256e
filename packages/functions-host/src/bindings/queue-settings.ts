/**
 * host.json `extensions.queues` with the extension's defaults: read once when the host starts and
 * handed to the queue trigger, the queue output (`messageEncoding`) and the blob trigger (poison reports).
 */
import { durationSetting, integerSetting, settingText } from './trigger-support';

export const MIN_POLLING_MS = 100;

export type MessageEncoding = 'base64' | 'none';

export interface QueueSettings {
  readonly batchSize: number;
  readonly newBatchThreshold: number;
  readonly maxDequeueCount: number;
  readonly visibilityTimeoutMs: number;
  readonly maxPollingIntervalMs: number;
  readonly messageEncoding: MessageEncoding;
}

export function messageEncodingOf(queues: Readonly<Record<string, unknown>>): MessageEncoding {
  const value = queues['messageEncoding'];
  if (value === undefined || value === null) return 'base64';
  const lower = settingText(value).toLowerCase();
  if (lower === 'base64' || lower === 'none') return lower;
  throw new Error(
    `host.json extensions.queues.messageEncoding must be "base64" or "none", not "${settingText(value)}"`,
  );
}

export function queueSettingsOf(queues: Readonly<Record<string, unknown>>): QueueSettings {
  const batchSize = integerSetting(queues, 'batchSize', 16, 1, 32);
  return {
    batchSize,
    newBatchThreshold: integerSetting(queues, 'newBatchThreshold', Math.floor(batchSize / 2), 0, 1000),
    maxDequeueCount: integerSetting(queues, 'maxDequeueCount', 5, 1, 1000),
    visibilityTimeoutMs: durationSetting(queues, 'visibilityTimeout', 0),
    maxPollingIntervalMs: Math.max(MIN_POLLING_MS, durationSetting(queues, 'maxPollingInterval', 60_000)),
    messageEncoding: messageEncodingOf(queues),
  };
}
