import { MAX_PUSH_EXCERPT_LENGTH } from '../../../contract';
import { excerptOf } from './excerpt';

describe('a push excerpt', () => {
  it('is the Markdown as plain text on one line', () => {
    expect(excerptOf('# Plan\n> **bold** and _it_ with `code` and [a link](https://x.example)\n- one\n- two')).toBe(
      'Plan bold and it with code and a link one two',
    );
    expect(excerptOf('```ts\nconst a = 1;\n```')).toBe('const a = 1;');
    expect(excerptOf('', true)).toBe('(attachment)');
  });

  it('is cut at the limit with an ellipsis', () => {
    const cut = excerptOf('word '.repeat(100));
    expect([...cut]).toHaveLength(MAX_PUSH_EXCERPT_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
  });
});
