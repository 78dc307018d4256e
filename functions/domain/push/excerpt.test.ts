import { MAX_PUSH_EXCERPT_LENGTH } from '../../../contract';
import { excerptOf, mentionedIn } from './excerpt';

describe('a push excerpt', () => {
  it('is the Markdown as plain text on one line', () => {
    expect(excerptOf('# Plan\n> **bold** and _it_ with `code` and [a link](https://x.example)\n- one\n- two')).toBe(
      'Plan bold and it with code and a link one two',
    );
    expect(excerptOf('```ts\nconst a = 1;\n```')).toBe('const a = 1;');
    expect(excerptOf('', true)).toBe('(attachment)');
  });

  it('reads mentions of people the message mentions as their names, other tokens as text', () => {
    const names = new Map([['dev-ann', 'Ann']]);
    expect(excerptOf('hi <@dev-ann> and <@dev-bob>', false, names)).toBe('hi @Ann and <@dev-bob>');
  });

  it('is cut at the limit with an ellipsis', () => {
    const cut = excerptOf('word '.repeat(100));
    expect([...cut]).toHaveLength(MAX_PUSH_EXCERPT_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('finds the mention tokens of people the message mentions, once each', () => {
    expect(mentionedIn('<@a> <@b> <@a>', ['a', 'c'])).toEqual(['a']);
  });
});
