/**
 * The storage `blobTrigger` by polling: the container is listed every few seconds (and at once
 * after this host writes a blob), and each blob whose name matches the path pattern runs the
 * function once per version (ETag). Like the extension, a successful run leaves a receipt blob in
 * `azure-webjobs-hosts/blobreceipts/...`, so a restart does not run old blobs again, and a blob
 * that fails `maxDequeueCount` times (host.json extensions.queues, default 5) is reported on the
 * `webjobs-blobtrigger-poison` queue and left alone. Event Grid sources are not supported.
 */
import { createHash } from 'node:crypto';

import type { BindingType, HostContext, TriggerListener, TriggerTarget } from './binding';
import { containerNameProblem, hasDotSegment } from './blob-names';
import { executeAndLog } from './execute-and-log';
import { encodeMessage } from './queue-output';
import { storageAppSetting, storageConnectionOf } from './storage-connection';
import { dotNetUtc, expressionValues, settingText, StoppableDelay, triggerMetadataOf } from './trigger-support';

export const blobTrigger: BindingType = {
  name: 'blobTrigger',
  directions: ['trigger'],
  startListener: startBlobListener,
  appSetting: storageAppSetting,
};
const RECEIPTS_CONTAINER = 'azure-webjobs-hosts';
const POISON_QUEUE = 'webjobs-blobtrigger-poison';
/** How often the container is listed when nothing wakes the listener sooner. */
export const BLOB_SCAN_INTERVAL_MS = 2000;

export interface BlobPattern {
  readonly container: string;
  /** The literal start of the blob name, used as the listing prefix. */
  readonly prefix: string;
  /** Parameter values from a blob name, or undefined when it does not match. */
  match(blobName: string): Record<string, string> | undefined;
}

/** `container/name-pattern` with `{param}` placeholders, as the trigger's `path` is written. */
export function parseBlobPattern(path: string, env: NodeJS.ProcessEnv = process.env): BlobPattern {
  const resolved = path
    .trim()
    .replace(/%([^%]+)%/g, (_w, name: string) => {
      const value = env[name];
      if (value === undefined) throw new Error(`App setting '${name}' named in blob path "${path}" is not set`);
      return value;
    })
    .replace(/^\/+/, '');
  const slash = resolved.indexOf('/');
  const container = (slash < 0 ? resolved : resolved.slice(0, slash)).toLowerCase();
  const namePattern = slash < 0 ? '{name}' : resolved.slice(slash + 1);
  if (container === '' || /[{}]/.test(container)) {
    throw new Error(`Invalid blob trigger path '${path}': the container must be a fixed name`);
  }
  const problem = containerNameProblem(container);
  if (problem !== undefined) throw new Error(`Invalid blob trigger path '${path}': ${problem}`);
  if (hasDotSegment(namePattern.replace(/\{[^{}]+\}/g, 'x'))) {
    throw new Error(`Invalid blob trigger path '${path}': a '.' or '..' path segment is not allowed`);
  }
  const names: string[] = [];
  let source = '^';
  for (const part of namePattern.split(/(\{[^{}]+\})/)) {
    const param = /^\{([^{}]+)\}$/.exec(part);
    if (param) {
      names.push(param[1].trim());
      source += '(.+?)';
    } else {
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const regex = new RegExp(`${source}$`);
  const brace = namePattern.indexOf('{');
  return {
    container,
    prefix: brace < 0 ? namePattern : namePattern.slice(0, brace),
    match(blobName) {
      const m = regex.exec(blobName);
      if (!m) return undefined;
      return Object.fromEntries(names.map((name, i) => [name, m[i + 1]]));
    },
  };
}

/** Poison reports follow host.json `extensions.queues` (host.queues): maxDequeueCount, messageEncoding. */
export function startBlobListener(target: TriggerTarget, host: HostContext): TriggerListener {
  const { fn, trigger } = target;
  const { log, storage } = host;
  const source = trigger['source'];
  if (typeof source === 'string' && source.toLowerCase() === 'eventgrid') {
    throw new Error(
      `Function "${fn.name}": blob triggers with source EventGrid are not supported locally (use the default polling)`,
    );
  }
  const connectionString = storageConnectionOf(trigger);
  const pattern = parseBlobPattern(settingText(trigger['path'] ?? ''));
  const service = storage.blobService(connectionString);
  const container = service.getContainerClient(pattern.container);
  const receipts = service.getContainerClient(RECEIPTS_CONTAINER);
  const hostId = `local-${createHash('sha256').update(host.appRoot).digest('hex').slice(0, 16)}`;
  const failures = new Map<string, number>();
  const done = new Set<string>();
  const refused = new Set<string>();
  const delay = new StoppableDelay();
  const unregister = storage.onBlobWrite(() => delay.wake());

  const receiptName = (blobName: string, etag: string) =>
    `blobreceipts/${hostId}/Host.Functions.${fn.name}/${etag.replace(/"/g, '')}/${pattern.container}/${blobName}`;

  const writeReceipt = async (name: string) => {
    await receipts.createIfNotExists();
    await receipts.getBlockBlobClient(name).uploadData(Buffer.alloc(0));
  };

  const runFor = async (blobName: string, listedEtag: string, params: Record<string, string>) => {
    // Versions already done are remembered, so a scan costs one listing, not a request per blob.
    if (done.has(receiptName(blobName, listedEtag))) return;
    const blob = container.getBlobClient(blobName);
    const properties = await blob.getProperties();
    const etag = properties.etag ?? '';
    const receipt = receiptName(blobName, etag);
    if (done.has(receipt)) return;
    if (await receipts.getBlobClient(receipt).exists()) {
      done.add(receipt);
      return;
    }
    const content = await blob.downloadToBuffer();
    const path = `${pattern.container}/${blobName}`;
    const values: Record<string, unknown> = {
      BlobTrigger: path,
      Uri: blob.url,
      Properties: {
        BlobType: 'Block',
        ContentLength: properties.contentLength ?? content.length,
        ContentType: properties.contentType ?? null,
        ContentEncoding: properties.contentEncoding ?? null,
        ETag: etag,
        LastModified: properties.lastModified ? dotNetUtc(properties.lastModified) : null,
        CreatedOn: properties.createdOn ? dotNetUtc(properties.createdOn) : null,
      },
      Metadata: properties.metadata ?? {},
      ...params,
    };
    const result = await executeAndLog(
      host,
      {
        fn,
        triggerName: target.triggerName,
        triggerData: { bytes: content },
        triggerMetadata: triggerMetadataOf(fn.name, values),
        bindingData: { params: { ...expressionValues(values), ...params } },
      },
      `blob ${path}`,
    );
    if (!result) {
      const count = (failures.get(receipt) ?? 0) + 1;
      failures.set(receipt, count);
      if (count < host.queues.maxDequeueCount) return;
      log(`[${fn.name}] Blob '${path}' failed ${count} times; reporting it on queue '${POISON_QUEUE}'.`);
      const poison = storage.queueClient(storageConnectionOf(trigger), POISON_QUEUE);
      await poison.createIfNotExists();
      const message = {
        Type: 'BlobTrigger',
        FunctionId: `Host.Functions.${fn.name}`,
        BlobType: 'BlockBlob',
        ContainerName: pattern.container,
        BlobName: blobName,
        ETag: etag,
      };
      await poison.sendMessage(encodeMessage(JSON.stringify(message), host.queues.messageEncoding));
    }
    failures.delete(receipt);
    await writeReceipt(receipt);
    done.add(receipt);
  };

  const scan = async () => {
    const iterator = container.listBlobsFlat(pattern.prefix === '' ? {} : { prefix: pattern.prefix });
    try {
      for await (const item of iterator) {
        if (delay.stopped) return;
        const params = pattern.match(item.name);
        if (!params) continue;
        // Such a name would address another blob (or container) than the one listed: never run it.
        if (hasDotSegment(item.name)) {
          if (!refused.has(item.name)) {
            refused.add(item.name);
            log(
              `[${fn.name}] Blob '${pattern.container}/${item.name}' is skipped: its name has a '.' or '..' path segment.`,
            );
          }
          continue;
        }
        try {
          await runFor(item.name, item.properties.etag ?? '', params);
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode === 404) continue; // deleted meanwhile
          log(`[${fn.name}] Blob '${pattern.container}/${item.name}': ${(err as Error).message}`);
        }
      }
    } catch (err) {
      // A container that does not exist yet has no blobs.
      if ((err as { statusCode?: number }).statusCode !== 404) {
        log(`[${fn.name}] Container '${pattern.container}' could not be listed: ${(err as Error).message}`);
      }
    }
  };

  const loop = (async () => {
    while (!delay.stopped) {
      await scan();
      if (!(await delay.wait(BLOB_SCAN_INTERVAL_MS))) break;
    }
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
