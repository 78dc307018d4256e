import { statusExpiresAt } from './status-expiry';

describe('status expiry', () => {
  // A Wednesday afternoon, local time.
  const now = new Date(2026, 11, 9, 15, 20);

  it('ends in 30 minutes, an hour, at local midnight, at the start of next week, or never', () => {
    expect(statusExpiresAt('30m', now)).toBe(new Date(2026, 11, 9, 15, 50).toISOString());
    expect(statusExpiresAt('1h', now)).toBe(new Date(2026, 11, 9, 16, 20).toISOString());
    expect(statusExpiresAt('today', now)).toBe(new Date(2026, 11, 10).toISOString());
    expect(statusExpiresAt('week', now)).toBe(new Date(2026, 11, 14).toISOString());
    expect(statusExpiresAt('never', now)).toBeUndefined();
  });

  it('"this week" set on a Monday ends the next Monday, not at once', () => {
    expect(statusExpiresAt('week', new Date(2026, 11, 14, 9))).toBe(new Date(2026, 11, 21).toISOString());
    // On a Sunday: that night.
    expect(statusExpiresAt('week', new Date(2026, 11, 13, 9))).toBe(new Date(2026, 11, 14).toISOString());
  });
});
