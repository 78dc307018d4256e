import { MAX_DO_NOT_DISTURB_MS } from '../../../contract';

/** The durations the settings panel offers for do not disturb (the server takes at most 7 days). */
export type DoNotDisturbChoice = 'hour' | 'tomorrow';

/** One hour from now, or tomorrow at 9:00 local time (the person's clock, not the server's). */
export function doNotDisturbUntil(choice: DoNotDisturbChoice, now: Date): Date {
  if (choice === 'hour') return new Date(now.getTime() + 60 * 60_000);
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0, 0, 0);
}

/**
 * A custom end from a `datetime-local` input (local time): the time, or why it cannot be used
 * (the words the panel shows; the server checks the same rule).
 */
export function customDoNotDisturb(value: string, now: Date): Date | string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return 'Choose a date and time';
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  const until = new Date(year, month - 1, day, hour, minute);
  if (until.getTime() <= now.getTime()) return 'Choose a time in the future';
  if (until.getTime() - now.getTime() > MAX_DO_NOT_DISTURB_MS) return 'Do not disturb lasts at most 7 days';
  return until;
}

/** `2026-12-14T09:30`: a `datetime-local` value (local time) for the input's `max`. */
export function localInputValue(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}
