import { MAX_SEARCH_TERMS } from '../../../contract';
import { parseQuery, QueryError } from './query';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('search queries', () => {
  it('read words (the last also as a prefix) and phrases', () => {
    expect(parseQuery('Deploy FRIDAY').groups).toEqual([
      { terms: ['deploy'], adjacent: false, prefix: false },
      { terms: ['friday'], adjacent: false, prefix: true },
    ]);
    expect(parseQuery('"release notes" draft').groups).toEqual([
      { terms: ['release', 'notes'], adjacent: true, prefix: false },
      { terms: ['draft'], adjacent: false, prefix: true },
    ]);
    // A word that punctuation splits is a phrase of its parts; an unclosed quote runs to the end.
    expect(parseQuery('e-mail').groups).toEqual([{ terms: ['e', 'mail'], adjacent: true, prefix: true }]);
    expect(parseQuery('"open quote').groups).toEqual([{ terms: ['open', 'quote'], adjacent: true, prefix: false }]);
  });

  it('read exclusions', () => {
    const query = parseQuery('lunch -pizza -"fish soup"');
    expect(query.groups).toEqual([{ terms: ['lunch'], adjacent: false, prefix: false }]);
    expect(query.excluded).toEqual([
      { terms: ['pizza'], adjacent: false, prefix: false },
      { terms: ['fish', 'soup'], adjacent: true, prefix: false },
    ]);
  });

  it('read every operator', () => {
    const query = parseQuery(
      'from:@bob-1 from:"Alice Smith" in:ops IN:#Dev has:file has:IMAGE has:link after:2026-01-31 before:2026-03-01',
    );
    expect(query.fromIds).toEqual(['bob-1']);
    expect(query.fromNames).toEqual([['alice', 'smith']]);
    expect(query.rooms).toEqual(['ops', 'dev']);
    expect(query.has).toEqual(['file', 'image', 'link']);
    expect(query.sentFrom).toBe(day('2026-02-01'));
    expect(query.sentTo).toBe(day('2026-03-01'));
    const on = parseQuery('on:2024-02-29');
    expect(on.sentFrom).toBe(day('2024-02-29'));
    expect(on.sentTo).toBe(day('2024-03-01'));
  });

  it('take a URL as words, not an operator', () => {
    expect(parseQuery('https://example.com/x').groups[0].terms).toEqual(['https', 'example', 'com', 'x']);
  });

  it.each([
    ['', 'Type a word'],
    ['!!! ???', 'Type a word'],
    ['color:red', 'Unknown operator color:'],
    ['before:yesterday', 'before: needs a date as YYYY-MM-DD, not yesterday'],
    ['on:2026-02-30', 'on: needs a date as YYYY-MM-DD'],
    ['after:2026-13-01', 'after: needs a date'],
    ['has:video', 'has: takes file, image or link, not video'],
    ['in:Bad/Room', 'in: needs a room name'],
    ['from:', 'from: needs a value'],
    ['-from:@bob x', '-from: is not supported'],
    [Array.from({ length: MAX_SEARCH_TERMS + 1 }, (_, i) => `w${i}`).join(' '), `at most ${MAX_SEARCH_TERMS} words`],
    ['"' + 'a '.repeat(40) + '"', 'at most 32 words in all'],
  ])('refuse %j, saying what is wrong', (q, message) => {
    expect(() => parseQuery(q)).toThrow(QueryError);
    expect(() => parseQuery(q)).toThrow(message);
  });

  it('take OData-looking input as plain words', () => {
    expect(parseQuery("x' or PartitionKey ne '").groups.map((g) => g.terms)).toEqual([
      ['x'],
      ['or'],
      ['partitionkey'],
      ['ne'],
    ]);
  });
});
