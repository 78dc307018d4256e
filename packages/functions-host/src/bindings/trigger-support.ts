/**
 * What the non-HTTP triggers (timer, queue, blob) share: host.json `extensions` settings, .NET
 * TimeSpan strings, the `sys` binding data and trigger metadata as the host sends them, and the
 * delay their polling loops wait on.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { RpcTypedData } from '../worker/core-types';
import { toTypedData } from '../worker/typed-data';

/** host.json `extensions`, as parsed JSON (missing sections are empty objects). */
export interface HostExtensions {
  readonly queues: Readonly<Record<string, unknown>>;
  readonly blobs: Readonly<Record<string, unknown>>;
}

export async function readHostExtensions(appRoot: string): Promise<HostExtensions> {
  let raw: unknown;
  try {
    raw = JSON.parse((await readFile(join(appRoot, 'host.json'), 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { queues: {}, blobs: {} };
    throw new Error(`host.json: ${(err as Error).message}`);
  }
  const extensions = objectOr(objectOr(raw)['extensions']);
  return { queues: objectOr(extensions['queues']), blobs: objectOr(extensions['blobs']) };
}

/** A setting's value as text for messages and parsing (objects as JSON, not "[object Object]"). */
export function settingText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * A .NET `TimeSpan` string in milliseconds, as host.json and timer schedules write them:
 * `[-][d.]hh:mm[:ss[.fffffff]]` or a whole number of days. Undefined when it is not one.
 */
export function parseTimeSpan(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 86_400_000;
  const match = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(trimmed);
  if (!match) return undefined;
  const [, minus, days, hours, minutes, seconds, fraction] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return undefined;
  const ms =
    Number(days ?? 0) * 86_400_000 +
    Number(hours) * 3_600_000 +
    Number(minutes) * 60_000 +
    Number(seconds ?? 0) * 1000 +
    Math.round(Number(`0.${fraction ?? '0'}`) * 1000);
  return minus ? -ms : ms;
}

/** A host.json duration setting: a TimeSpan string (or a number of milliseconds), else the default. */
export function durationSetting(section: Readonly<Record<string, unknown>>, key: string, fallbackMs: number): number {
  const value = section[key];
  if (value === undefined || value === null) return fallbackMs;
  const ms = typeof value === 'number' ? value : parseTimeSpan(settingText(value));
  if (ms === undefined || ms < 0)
    throw new Error(`host.json extensions: ${key} "${settingText(value)}" is not a TimeSpan`);
  return ms;
}

export function integerSetting(
  section: Readonly<Record<string, unknown>>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = section[key];
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`host.json extensions: ${key} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** A .NET `DateTimeOffset` as Json.NET writes it: ISO 8601, fraction trimmed, `+00:00` for UTC. */
export function dotNetUtc(date: Date): string {
  const iso = date.toISOString(); // 2026-12-02T01:10:05.123Z
  const fraction = iso.slice(19, 23).replace(/\.?0+$/, '');
  return `${iso.slice(0, 19)}${fraction}+00:00`;
}

/** A .NET local `DateTime` as Json.NET writes it: local wall time, fraction trimmed, the local offset. */
export function dotNetLocal(date: Date): string {
  const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');
  const offset = -date.getTimezoneOffset();
  const ms = date.getMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms, 3)}`.replace(/0+$/, '');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${fraction}` +
    `${offset < 0 ? '-' : '+'}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/**
 * Trigger metadata as the host sends it: PascalCase names, each value typed data (objects as
 * JSON), plus `sys` (MethodName, UtcNow, RandGuid), which the host adds for every trigger.
 */
export function triggerMetadataOf(
  functionName: string,
  values: Readonly<Record<string, unknown>>,
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  for (const [name, value] of Object.entries(values)) {
    const data = toTypedData(value);
    if (data) metadata[name] = data;
  }
  metadata['sys'] = {
    json: JSON.stringify({ MethodName: functionName, UtcNow: dotNetUtc(new Date()), RandGuid: randomUUID() }),
  };
  return metadata;
}

/** Binding-expression values from trigger data: strings as they are, numbers and booleans as text. */
export function expressionValues(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
  }
  return out;
}

/**
 * Waits `ms` unless stopped first; resolves true when the time passed, false when stopped. The
 * timer is cleared on stop, so a stopped listener leaves nothing behind that keeps Node alive.
 */
export class StoppableDelay {
  #stopped = false;
  #pending = false;
  #wakers = new Set<() => void>();

  get stopped(): boolean {
    return this.#stopped;
  }

  wait(ms: number): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const done = (elapsed: boolean) => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve(elapsed);
      };
      const wake = () => done(!this.#stopped);
      const timer = setTimeout(() => done(true), ms);
      this.#wakers.add(wake);
    });
  }

  /** Ends the current wait early (a poll now rather than after the backoff), or the next one if none is under way. */
  wake(): void {
    if (this.#wakers.size === 0) this.#pending = true;
    for (const waker of [...this.#wakers]) waker();
  }

  stop(): void {
    this.#stopped = true;
    this.wake();
  }
}
