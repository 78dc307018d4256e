import { typingLine } from './conversation';

describe('typingLine', () => {
  it('names one or two typists and summarises more', () => {
    expect(typingLine([])).toBe('');
    expect(typingLine(['Ann'])).toBe('\u2068Ann\u2069 is typing…');
    expect(typingLine(['Ann', 'Ben'])).toBe('\u2068Ann\u2069 and \u2068Ben\u2069 are typing…');
    expect(typingLine(['Ann', 'Ben', 'Cat'])).toBe('Several people are typing…');
  });
});
