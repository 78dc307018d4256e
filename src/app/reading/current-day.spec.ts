import { Injector, runInInjectionContext } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { currentDay } from './current-day';
import { dayLabel } from './message-layout';

describe('currentDay', () => {
  afterEach(() => jest.useRealTimers());

  it('moves on just after local midnight, so "Today" becomes "Yesterday" in a tab left open', () => {
    jest.useFakeTimers({ now: new Date(2026, 11, 1, 23, 30) });
    const sent = new Date(2026, 11, 1, 23, 0);
    const day = runInInjectionContext(TestBed.inject(Injector), () => currentDay());
    expect(dayLabel(sent, day(), 'en')).toBe('Today');
    jest.advanceTimersByTime(29 * 60 * 1000);
    expect(dayLabel(sent, day(), 'en')).toBe('Today');
    jest.advanceTimersByTime(61 * 1000 + 1);
    expect(dayLabel(sent, day(), 'en')).toBe('Yesterday');
    // And again the night after.
    jest.advanceTimersByTime(24 * 60 * 60 * 1000);
    expect(dayLabel(new Date(2026, 11, 2, 9, 0), day(), 'en')).toBe('Yesterday');
  });
});
