import { dayLabel, layOut } from './message-layout';

const now = new Date(2026, 5, 15, 12, 0);
const at = (day: number, hour: number, minute = 0) => new Date(2026, 5, day, hour, minute).toISOString();
const msg = (id: string, sender: string, sentAt: string) => ({ id, sender: { id: sender }, sentAt });

describe('dayLabel', () => {
  it('says Today, Yesterday, else the date in the locale, with the year only when not this one', () => {
    expect(dayLabel(new Date(2026, 5, 15, 0, 1), now)).toBe('Today');
    expect(dayLabel(new Date(2026, 5, 14, 23, 59), now)).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 5, 1), now, 'en-GB')).toBe('Monday 1 June');
    expect(dayLabel(new Date(2026, 5, 1), now, 'de-DE')).toBe('Montag, 1. Juni');
    expect(dayLabel(new Date(2025, 11, 31), now, 'en-US')).toBe('Wednesday, December 31, 2025');
  });
});

describe('layOut', () => {
  it('groups one sender’s messages within 5 minutes of each other, and starts each day with a separator', () => {
    const places = layOut(
      [
        msg('a', 'ann', at(14, 23, 58)),
        msg('b', 'ann', at(15, 0, 1)), // a new day: never grouped across it
        msg('c', 'ann', at(15, 0, 5)),
        msg('d', 'ann', at(15, 0, 9)), // 4 minutes after c: the window runs from the last message
        msg('e', 'ben', at(15, 0, 10)),
        msg('f', 'ann', at(15, 0, 11)),
        msg('g', 'ann', at(15, 0, 17)), // 6 minutes later
      ],
      now,
    );
    expect([...places.entries()].map(([id, p]) => `${id}:${p.day ?? ''}:${p.grouped ? 'g' : ''}`)).toEqual([
      'a:Yesterday:',
      'b:Today:',
      'c::g',
      'd::g',
      'e::',
      'f::',
      'g::',
    ]);
  });

  it('ends a group where it is told to (the new-messages divider, a reply)', () => {
    const places = layOut([msg('a', 'ann', at(15, 9)), msg('b', 'ann', at(15, 9, 1))], now, new Set(['b']));
    expect(places.get('b')?.grouped).toBe(false);
  });
});
