/** How long a status lasts, as the profile page offers it. */
export type StatusExpiry = '30m' | '1h' | 'today' | 'week' | 'never';

export const STATUS_EXPIRIES: readonly { readonly value: StatusExpiry; readonly label: string }[] = [
  { value: '30m', label: '30 minutes' },
  { value: '1h', label: '1 hour' },
  { value: 'today', label: 'Today' },
  { value: 'week', label: 'This week' },
  { value: 'never', label: "Don't clear" },
];

/**
 * When a status set at `now` ends: in 30 minutes or an hour, at the end of the local day, at the
 * end of the local week (the coming Monday, 00:00), or never (undefined).
 */
export function statusExpiresAt(expiry: StatusExpiry, now: Date): string | undefined {
  switch (expiry) {
    case '30m':
      return new Date(now.getTime() + 30 * 60_000).toISOString();
    case '1h':
      return new Date(now.getTime() + 60 * 60_000).toISOString();
    case 'today':
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).toISOString();
    case 'week': {
      const daysToMonday = (8 - now.getDay()) % 7 || 7;
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysToMonday).toISOString();
    }
    case 'never':
      return undefined;
  }
}
