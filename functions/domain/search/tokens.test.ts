import { fold, MAX_TOKEN_LENGTH, terms, tokenize } from './tokens';

describe('search tokens', () => {
  it('fold case and accents, so Élan, ELAN and elan are one word', () => {
    expect(terms('Élan ELAN élan E\u0301lan')).toEqual(['elan', 'elan', 'elan', 'elan']);
    expect(terms('Straße Ｆｕｌｌｗｉｄｔｈ ﬁle naïve Ångström')).toEqual([
      'strasse',
      'fullwidth',
      'file',
      'naive',
      'angstrom',
    ]);
    expect(fold('Crème Brûlée')).toBe('creme brulee');
  });

  it('split on punctuation and spaces, keeping letters and digits together', () => {
    expect(terms("Hello, world! It's v2.0 (beta)… e-mail@x.org #ops")).toEqual([
      'hello',
      'world',
      'it',
      's',
      'v2',
      '0',
      'beta',
      'e',
      'mail',
      'x',
      'org',
      'ops',
    ]);
    expect(terms('!!! ... ---')).toEqual([]);
  });

  it('make each emoji a token, skin tones and joined sequences whole', () => {
    expect(terms('ship it 🚀🎉 👍🏽 👩‍👩‍👧')).toEqual(['ship', 'it', '🚀', '🎉', '👍🏽', '👩‍👩‍👧']);
  });

  it('give one token per character of scripts written without spaces, words of others whole', () => {
    expect(tokenize('東京タワーへ行く').map((t) => t.term)).toEqual(['東', '京', 'タ', 'ワ', 'ー', 'へ', '行', 'く']);
    expect(tokenize('東京tower').map((t) => t.term)).toEqual(['東', '京', 'tower']);
    expect(terms('안녕하세요 세계')).toEqual(['안녕하세요', '세계']);
    expect(terms('Привет, мир')).toEqual(['привет', 'мир']);
  });

  it('cap very long words, in the message and the query alike', () => {
    const word = 'a'.repeat(5000);
    expect(terms(word)).toEqual(['a'.repeat(MAX_TOKEN_LENGTH)]);
  });

  it('say where each token came from in the original text', () => {
    const text = 'Café 🚀 ok';
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual(['Café', '🚀', 'ok']);
  });
});
