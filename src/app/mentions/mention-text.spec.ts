import {
  encodeMentions,
  filterMentionables,
  mentionSegments,
  moveMentions,
  type PlacedMention,
  readableText,
  saysRoom,
} from './mention-text';

const people = [
  { id: 'u-ann', name: 'Ann' },
  { id: 'u-ann-lee', name: 'Ann Lee' },
  { id: 'u-ben', name: 'Ben' },
];
const names: Record<string, string> = { 'u-ann': 'Annie', 'u-ben': 'Ben' };
const nameOf = (id: string) => names[id];

describe('encodeMentions', () => {
  it('turns @Name into the person’s token, the longest name first, once per id', () => {
    expect(encodeMentions('@Ann Lee and @Ann, @Ben. @Ann again', people)).toEqual({
      text: '<@u-ann-lee> and <@u-ann>, <@u-ben>. <@u-ann> again',
      mentions: ['u-ann-lee', 'u-ann', 'u-ben'],
    });
  });

  it('leaves what is not a whole name at the start of a word: @Benny, mail@Ben, a bare @', () => {
    expect(encodeMentions('@Benny mail@Ben @ done', people)).toEqual({ text: '@Benny mail@Ben @ done', mentions: [] });
  });

  const twins = [
    { id: 'u-ann-1', name: 'Ann' },
    { id: 'u-ann-2', name: 'Ann' },
    { id: 'u-ben', name: 'Ben' },
  ];

  it('mentions whom was picked where it was picked, though another has the name', () => {
    const picked: PlacedMention[] = [
      { id: 'u-ann-2', name: 'Ann', at: 3 },
      { id: 'u-ann-1', name: 'Ann', at: 12 },
    ];
    expect(encodeMentions('hi @Ann and @Ann!', twins, picked)).toEqual({
      text: 'hi <@u-ann-2> and <@u-ann-1>!',
      mentions: ['u-ann-2', 'u-ann-1'],
    });
  });

  it('leaves a typed name that two people share as text, and still reads an unshared one by name', () => {
    expect(encodeMentions('@Ann and @Ben', twins)).toEqual({ text: '@Ann and <@u-ben>', mentions: ['u-ben'] });
    // Picked once, typed once more by hand: only the picked one is a mention.
    expect(encodeMentions('@Ann @Ann', twins, [{ id: 'u-ann-1', name: 'Ann', at: 5 }])).toEqual({
      text: '@Ann <@u-ann-1>',
      mentions: ['u-ann-1'],
    });
  });

  it('ignores a pick the text no longer says where it was picked', () => {
    const picked = [{ id: 'u-ben', name: 'Ben', at: 0 }];
    expect(encodeMentions('x @Ben', people, picked)).toEqual({ text: 'x <@u-ben>', mentions: ['u-ben'] });
    expect(encodeMentions('@Benny', people, picked)).toEqual({ text: '@Benny', mentions: [] });
  });
});

describe('moveMentions', () => {
  const first = { id: 'u-ann-1', name: 'Ann', at: 0 };
  const second = { id: 'u-ann-2', name: 'Ann', at: 5 };

  it('keeps picks before an edit, moves those after it, and drops one whose text the edit touched', () => {
    expect(moveMentions([first, second], '@Ann @Ann ', '@Ann @Ann and', 13)).toEqual([first, second]);
    expect(moveMentions([first, second], '@Ann @Ann ', 'hi @Ann @Ann ', 3)).toEqual([
      { ...first, at: 3 },
      { ...second, at: 8 },
    ]);
    expect(moveMentions([first, second], '@Ann @Ann ', '@An @Ann ', 3)).toEqual([{ ...second, at: 4 }]);
    // Text that runs into the name makes it another word.
    expect(moveMentions([first], '@Ann ', '@Anne ', 5)).toEqual([]);
  });

  it('tells by the caret which of two equal runs was deleted', () => {
    expect(moveMentions([first, second], '@Ann @Ann ', '@Ann ', 0)).toEqual([{ ...second, at: 0 }]);
    expect(moveMentions([first, second], '@Ann @Ann ', '@Ann ', 5)).toEqual([first]);
  });

  it('falls back to the longest unchanged ends when the caret does not fit the edit', () => {
    expect(moveMentions([first, second], '@Ann @Ann ', 'x@Ann @Ann ', 0)).toEqual([{ ...second, at: 6 }]);
  });
});

describe('mentionSegments', () => {
  it('shows each mentioned id by its current name, unknown people as "someone"', () => {
    expect(mentionSegments('hi <@u-ann> and <@u-gone>!', ['u-ann', 'u-gone'], false, nameOf)).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', id: 'u-ann', name: 'Annie' },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', id: 'u-gone', name: 'someone' },
      { kind: 'text', text: '!' },
    ]);
  });

  it('keeps a token that the message does not mention as text: typing <@id> fakes nothing', () => {
    expect(mentionSegments('<@u-ann> <script>x</script>', [], true, nameOf)).toEqual([
      { kind: 'text', text: '<@u-ann> <script>x</script>' },
    ]);
  });

  it('marks @room only when the message has mentionsRoom, and only as a word', () => {
    expect(mentionSegments('@room now, not x@room', undefined, true, nameOf)).toEqual([
      { kind: 'room' },
      { kind: 'text', text: ' now, not x@room' },
    ]);
    expect(mentionSegments('@room now', undefined, false, nameOf)).toEqual([{ kind: 'text', text: '@room now' }]);
    expect(saysRoom('hey @room!')).toBe(true);
    expect(saysRoom('hey @roomy')).toBe(false);
  });

  it('reads back as text with @names, for notifications and quotes', () => {
    expect(readableText('<@u-ben> look', ['u-ben'], nameOf)).toBe('@Ben look');
  });

  it('copes with a huge text full of tokens in linear time', () => {
    const text = '<@u-ann> '.repeat(20_000);
    const started = Date.now();
    expect(mentionSegments(text, ['u-ann'], true, nameOf)).toHaveLength(40_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('filterMentionables', () => {
  it('matches the start of the name first, then the start of any word, ignoring case', () => {
    const list = [...people, { id: 'u-lee', name: 'Lee' }];
    expect(filterMentionables(list, 'lee').map((p) => p.id)).toEqual(['u-lee', 'u-ann-lee']);
    expect(filterMentionables(list, '').map((p) => p.id)).toEqual(['u-ann', 'u-ann-lee', 'u-ben', 'u-lee']);
    expect(filterMentionables(list, 'x')).toEqual([]);
  });
});
