import { MAX_RECENT_SEARCHES, readRecentSearches, rememberSearch } from './recent-searches';
import { piecesOf } from './search-panel';

describe('search results', () => {
  it('mark the matched parts of a text', () => {
    expect(
      piecesOf('deploy on Friday', [
        { start: 0, end: 6 },
        { start: 10, end: 16 },
      ]),
    ).toEqual([
      { text: 'deploy', marked: true },
      { text: ' on ', marked: false },
      { text: 'Friday', marked: true },
    ]);
    // Ranges that do not fit the text (it changed) are left out, never thrown on.
    expect(piecesOf('short', [{ start: 2, end: 40 }])).toEqual([{ text: 'short', marked: false }]);
  });
});

describe('recent searches', () => {
  beforeEach(() => localStorage.clear());

  it('keep each person their own, newest first, each once, at most a few', () => {
    rememberSearch(localStorage, 'ann', 'deploy');
    rememberSearch(localStorage, 'ann', 'lunch');
    rememberSearch(localStorage, 'ann', 'deploy');
    rememberSearch(localStorage, 'ben', 'budget');
    expect(readRecentSearches(localStorage, 'ann')).toEqual(['deploy', 'lunch']);
    expect(readRecentSearches(localStorage, 'ben')).toEqual(['budget']);
    for (let i = 0; i < 20; i++) rememberSearch(localStorage, 'ann', `q${i}`);
    expect(readRecentSearches(localStorage, 'ann')).toHaveLength(MAX_RECENT_SEARCHES);
  });

  it('survive a broken entry or no storage at all', () => {
    localStorage.setItem('hubbub.recentSearches.ann', '{not json');
    expect(readRecentSearches(localStorage, 'ann')).toEqual([]);
    expect(rememberSearch(null, 'ann', 'x')).toEqual(['x']);
  });
});
