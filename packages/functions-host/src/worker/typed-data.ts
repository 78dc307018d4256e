/** Conversions between plain values and the worker protocol's `RpcTypedData`, as the host does them. */
import type { RpcTypedData } from './core-types';

/** Objects travel as JSON, like the host's binding data for extension bindings. */
export function toTypedData(value: unknown): RpcTypedData | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { string: value };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { bytes: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { int: value } : { double: value };
  return { json: JSON.stringify(value) };
}

/** What a binding sees of an output value; strings that hold JSON are parsed, as the host's converters do. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (isSet(data.string)) return tryJson(data.string);
  if (isSet(data.json)) return JSON.parse(data.json) as unknown;
  if (isSet(data.bytes)) return Buffer.from(data.bytes);
  if (isSet(data.stream)) return Buffer.from(data.stream);
  if (isSet(data.int)) return Number(data.int);
  if (isSet(data.double)) return data.double;
  if (data.collectionString?.string) return data.collectionString.string.map(tryJson);
  if (data.collectionBytes?.bytes) return data.collectionBytes.bytes.map((b) => Buffer.from(b));
  if (data.collectionDouble?.double) return data.collectionDouble.double;
  if (data.collectionSint64?.sint64) return data.collectionSint64.sint64.map(Number);
  if (data.http) return data.http;
  return undefined;
}

function isSet<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
