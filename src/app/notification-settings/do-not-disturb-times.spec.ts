import { customDoNotDisturb, doNotDisturbUntil, localInputValue } from './do-not-disturb-times';

// Local times: the person's clock decides what "tomorrow 9:00" is.
const now = new Date(2026, 11, 7, 22, 15);

describe('do not disturb times', () => {
  it('ends in an hour, or tomorrow at 9:00 local time (also across a month end)', () => {
    expect(doNotDisturbUntil('hour', now)).toEqual(new Date(2026, 11, 7, 23, 15));
    expect(doNotDisturbUntil('tomorrow', now)).toEqual(new Date(2026, 11, 8, 9, 0));
    expect(doNotDisturbUntil('tomorrow', new Date(2026, 11, 31, 0, 30))).toEqual(new Date(2027, 0, 1, 9, 0));
  });

  it('takes a custom end in the future and at most 7 days away, and says why not otherwise', () => {
    expect(customDoNotDisturb('2026-12-10T08:30', now)).toEqual(new Date(2026, 11, 10, 8, 30));
    expect(customDoNotDisturb('', now)).toBe('Choose a date and time');
    expect(customDoNotDisturb('2026-12-07T22:00', now)).toBe('Choose a time in the future');
    expect(customDoNotDisturb('2026-12-14T22:16', now)).toBe('Do not disturb lasts at most 7 days');
    expect(customDoNotDisturb('2026-12-14T22:15', now)).toEqual(new Date(2026, 11, 14, 22, 15));
  });

  it('writes a datetime-local value', () => {
    expect(localInputValue(new Date(2026, 0, 2, 3, 4))).toBe('2026-01-02T03:04');
  });
});
