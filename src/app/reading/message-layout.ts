/**
 * How the message list lays its messages out for easy reading: a day separator before the first
 * message of each day, and consecutive messages of one sender close together in time grouped
 * under the first one's name and time.
 */

/** Messages of one sender at most this far apart (and on the same day) share one name and time. */
export const GROUP_WINDOW_MS = 5 * 60_000;

export interface LaidOut {
  readonly id: string;
  readonly sender: { readonly id: string };
  readonly sentAt: string;
}

export interface MessagePlace {
  /** A separator goes before this message: the day's label ("Today", "Yesterday", a date). */
  readonly day: string | null;
  /** Follows a message of the same sender shortly before: its name and time are not repeated. */
  readonly grouped: boolean;
}

/** The calendar day of a time, where the user is (their time zone). */
function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** "Today", "Yesterday", else the date in the user's locale (with the year when it is not this year's). */
export function dayLabel(date: Date, now: Date, locale?: string): string {
  if (dayKey(date) === dayKey(now)) return 'Today';
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (dayKey(date) === dayKey(yesterday)) return 'Yesterday';
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() !== now.getFullYear() && { year: 'numeric' }),
  }).format(date);
}

/**
 * Each message's place, by id. `breaks` are ids before which a group must end anyway (the
 * "new messages" divider, a reply with its quote).
 */
export function layOut(
  messages: readonly LaidOut[],
  now: Date,
  breaks: ReadonlySet<string> = new Set(),
  locale?: string,
): ReadonlyMap<string, MessagePlace> {
  const places = new Map<string, MessagePlace>();
  let previous: { readonly sender: string; readonly time: number; readonly day: string } | null = null;
  for (const message of messages) {
    const date = new Date(message.sentAt);
    const time = date.getTime();
    const day = dayKey(date);
    const newDay = previous?.day !== day;
    const grouped =
      !newDay &&
      previous !== null &&
      !breaks.has(message.id) &&
      previous.sender === message.sender.id &&
      time - previous.time <= GROUP_WINDOW_MS &&
      time >= previous.time;
    places.set(message.id, { day: newDay ? dayLabel(date, now, locale) : null, grouped });
    // A group's window runs from its last message, so a steady conversation stays one group.
    previous = { sender: message.sender.id, time, day };
  }
  return places;
}
