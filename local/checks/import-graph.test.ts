import { checkedTrees, cycles, folderGraph, readImportGraph } from './import-graph';

// Dependencies point one way: no file imports itself through others, and no folder imports a
// folder that imports it back, directly or in a circle (type-only imports count).
describe.each(checkedTrees)('imports in %s', (tree) => {
  const graph = readImportGraph(tree);

  it('reads the tree', () => {
    expect(graph.files.size).toBeGreaterThan(0);
  });

  it('has no file import cycle', () => {
    expect(cycles(graph.files)).toEqual([]);
  });

  it('has no folder import cycle', () => {
    expect(cycles(folderGraph(graph))).toEqual([]);
  });
});

describe('cycles', () => {
  it('finds a circle through three nodes and a node importing itself, and nothing in a chain', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['d'])],
      ['e', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(
      cycles(
        new Map([
          ['x', new Set(['y'])],
          ['y', new Set<string>()],
        ]),
      ),
    ).toEqual([]);
  });
});
