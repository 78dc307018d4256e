/**
 * Table input and output bindings (`input.table`, `output.table`) on Azure Table storage through
 * @azure/data-tables. Input: `partitionKey` + `rowKey` is one entity (nothing when it does not
 * exist); otherwise a query (`partitionKey`, `filter`, `take`) is an array. Entities reach the
 * function as the extension's JSON: `PartitionKey`, `RowKey`, `Timestamp` and the properties.
 * Output: an entity or an array of entities, inserted (an existing key fails the invocation, as
 * the extension's insert does); `PartitionKey`/`RowKey` may come from the binding instead.
 */
import { odata, TableClient, type TableEntity, type TableEntityResult } from '@azure/data-tables';

import type { RpcTypedData } from '../worker/core-types';
import type { BindingType } from './binding';
import { type BindingData, resolveBindingExpression, resolveTableFilter } from './binding-expressions';
import { storageAppSetting, storageConnectionOf } from './storage-connection';
import { settingText } from './trigger-support';

export const tableBinding: BindingType = {
  name: 'table',
  directions: ['in', 'out'],
  readInput: (binding, ctx) => readTableInput(binding, ctx.bindingData),
  async deliverOutput(binding, data, ctx) {
    await deliverTableOutput(binding, data, ctx.bindingData);
  },
  appSetting: storageAppSetting,
};
/** The extension's per-transaction limit; a batch never spans partitions. */
const MAX_BATCH = 100;

const SYSTEM_PROPERTIES = new Set(['partitionkey', 'rowkey', 'timestamp', 'etag', 'odata.etag']);

function clientFor(binding: Readonly<Record<string, unknown>>, data: BindingData): TableClient {
  const raw = binding['tableName'];
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error('the binding has no tableName');
  const tableName = resolveBindingExpression(raw.trim(), data);
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(tableName)) {
    throw new Error(`Invalid table name '${tableName}': 3-63 letters or digits, starting with a letter`);
  }
  return TableClient.fromConnectionString(storageConnectionOf(binding), tableName, {
    allowInsecureConnection: true,
  });
}

function optionalExpression(binding: Readonly<Record<string, unknown>>, key: string, data: BindingData) {
  const raw = binding[key];
  if (raw === undefined || raw === null || raw === '') return undefined;
  return resolveBindingExpression(settingText(raw), data);
}

/** An entity as the extension's JObject: PascalCase keys, Timestamp as a DateTimeOffset, Int64 as a number. */
export function entityJson(entity: TableEntityResult<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { PartitionKey: entity.partitionKey, RowKey: entity.rowKey };
  if (typeof entity.timestamp === 'string')
    out['Timestamp'] = entity.timestamp.replace(/(\.\d*?)0*Z$/, '$1Z').replace(/\.?Z$/, '+00:00');
  for (const [key, value] of Object.entries(entity)) {
    if (['partitionKey', 'rowKey', 'timestamp', 'etag'].includes(key) || key.startsWith('odata.')) continue;
    if (value && typeof value === 'object' && 'type' in value && 'value' in value) {
      const typed = value as { type: string; value: unknown };
      out[key] = typed.type === 'Int64' ? Number(typed.value) : typed.value;
    } else if (value instanceof Date) {
      out[key] = value
        .toISOString()
        .replace(/\.000Z$/, 'Z')
        .replace(/Z$/, '+00:00');
    } else if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
      out[key] = Buffer.from(value).toString('base64');
    } else {
      out[key] = value;
    }
  }
  return out;
}

export async function readTableInput(
  binding: Readonly<Record<string, unknown>>,
  data: BindingData,
): Promise<RpcTypedData | undefined> {
  const client = clientFor(binding, data);
  const partitionKey = optionalExpression(binding, 'partitionKey', data);
  const rowKey = optionalExpression(binding, 'rowKey', data);
  const filterRaw = binding['filter'];
  // Request data substituted into the filter is escaped or checked, as the extension does.
  const filter =
    filterRaw === undefined || filterRaw === null || filterRaw === ''
      ? undefined
      : resolveTableFilter(settingText(filterRaw), data);
  const takeRaw = binding['take'];
  if (rowKey !== undefined) {
    if (partitionKey === undefined) throw new Error('a table input with rowKey needs partitionKey too');
    if (filter !== undefined || (takeRaw !== undefined && takeRaw !== null)) {
      throw new Error('a table input with rowKey cannot have filter or take');
    }
    try {
      const entity = await client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      return { json: JSON.stringify(entityJson(entity)) };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }
  const take = takeRaw === undefined || takeRaw === null ? undefined : Number(takeRaw);
  if (take !== undefined && (!Number.isInteger(take) || take < 0)) throw new Error('take must be a whole number');
  const conditions: string[] = [];
  if (partitionKey !== undefined) conditions.push(odata`PartitionKey eq ${partitionKey}`);
  if (filter !== undefined) conditions.push(conditions.length > 0 ? `(${filter})` : filter);
  const entities: Record<string, unknown>[] = [];
  if (take !== 0) {
    try {
      const query = client.listEntities<Record<string, unknown>>({
        queryOptions: conditions.length > 0 ? { filter: conditions.join(' and ') } : {},
      });
      for await (const entity of query) {
        entities.push(entityJson(entity));
        if (take !== undefined && entities.length >= take) break;
      }
    } catch (err) {
      // A table that does not exist yet has no entities.
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  return { json: JSON.stringify(entities) };
}

function keyOf(item: Record<string, unknown>, names: string[]): unknown {
  for (const name of names) if (item[name] !== undefined) return item[name];
  return undefined;
}

/** The entities an output value stands for, keys checked and system properties left out. */
export function entitiesOf(
  binding: Readonly<Record<string, unknown>>,
  data: RpcTypedData | null | undefined,
  bindingData: BindingData,
): TableEntity<Record<string, unknown>>[] {
  if (!data) return [];
  if (typeof data.json !== 'string' && typeof data.string !== 'string') {
    throw new Error('a table output must be an entity object or an array of them');
  }
  const value = JSON.parse((data.json ?? data.string) as string) as unknown;
  const items = Array.isArray(value) ? value : [value];
  const bindingPk = optionalExpression(binding, 'partitionKey', bindingData);
  const bindingRk = optionalExpression(binding, 'rowKey', bindingData);
  return items.map((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new Error(`table output item ${i} is not an object`);
    }
    const item = raw as Record<string, unknown>;
    const partitionKey = keyOf(item, ['PartitionKey', 'partitionKey']) ?? bindingPk;
    const rowKey = keyOf(item, ['RowKey', 'rowKey']) ?? bindingRk;
    if (typeof partitionKey !== 'string' || typeof rowKey !== 'string') {
      throw new Error(`table output item ${i} needs string PartitionKey and RowKey (in the item or the binding)`);
    }
    const entity: TableEntity<Record<string, unknown>> = { partitionKey, rowKey };
    for (const [key, prop] of Object.entries(item)) {
      if (SYSTEM_PROPERTIES.has(key.toLowerCase()) || prop === null || prop === undefined) continue;
      if (typeof prop === 'object') {
        throw new Error(
          `table output item ${i}: property '${key}' is an object or array; entity properties are strings, numbers or booleans`,
        );
      }
      entity[key] = prop;
    }
    return entity;
  });
}

/** Inserts the entities (creating the table if needed), in transactions of up to 100 per partition. */
export async function deliverTableOutput(
  binding: Readonly<Record<string, unknown>>,
  data: RpcTypedData | null | undefined,
  bindingData: BindingData,
): Promise<number> {
  const entities = entitiesOf(binding, data, bindingData);
  if (entities.length === 0) return 0;
  const client = clientFor(binding, bindingData);
  await client.createTable();
  const byPartition = new Map<string, TableEntity<Record<string, unknown>>[]>();
  for (const entity of entities) {
    const list = byPartition.get(entity.partitionKey) ?? [];
    list.push(entity);
    byPartition.set(entity.partitionKey, list);
  }
  for (const list of byPartition.values()) {
    for (let i = 0; i < list.length; i += MAX_BATCH) {
      const chunk = list.slice(i, i + MAX_BATCH);
      if (chunk.length === 1) await client.createEntity(chunk[0]);
      else await client.submitTransaction(chunk.map((entity) => ['create', entity]));
    }
  }
  return entities.length;
}
