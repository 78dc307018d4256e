/**
 * The project's import graph, read with TypeScript's own scanner and module resolution, so that
 * type-only imports and `export … from` count as dependencies exactly as the compiler sees them.
 *
 * Why our own: ESLint's cycle rules (import-x/no-cycle) see file cycles only; the folder rule
 * (no two folders import each other, directly or in a circle) needs the graph collapsed to
 * folders, which no lint rule here does. Both checks run from one graph in `import-graph.test.ts`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

import ts from 'typescript';

/** The repository root (this file runs from its source under Jest and from dist/ as a script). */
export const repoRoot = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'angular.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/** The trees whose imports must never form a cycle, at file or folder level. */
export const checkedTrees = [
  'src/app',
  'functions',
  'contract',
  'packages/signalr-emulator/src',
  'packages/functions-host/src',
];

export interface ImportGraph {
  /** file (relative to the repository, `/`-separated) → files it imports inside the checked tree */
  readonly files: ReadonlyMap<string, ReadonlySet<string>>;
}

const isTest = (file: string): boolean =>
  /\.(test|spec)\.ts$/.test(file) || /(^|\/)(testing|test-fixtures)\//.test(file);

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') continue;
    if (statSync(full).isDirectory()) out.push(...listTs(full));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const toRel = (file: string): string => relative(repoRoot, file).split(sep).join('/');

const resolveOptions: ts.CompilerOptions = {
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  allowJs: false,
};

/**
 * The graph of one tree's production files (tests and test helpers left out: they may reach
 * across folders to set things up, and they are not part of what ships).
 */
export function readImportGraph(tree: string): ImportGraph {
  const root = join(repoRoot, tree);
  const files = new Map<string, Set<string>>();
  if (!existsSync(root)) return { files };
  const host: ts.ModuleResolutionHost = {
    fileExists: (f) => ts.sys.fileExists(f),
    readFile: (f) => ts.sys.readFile(f),
  };
  for (const file of listTs(root)) {
    const rel = toRel(file);
    if (isTest(rel)) continue;
    const targets = new Set<string>();
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const resolved = ts.resolveModuleName(fileName, file, resolveOptions, host).resolvedModule;
      const target = resolved
        ? resolved.resolvedFileName
        : [`${join(dirname(file), fileName)}.ts`, join(dirname(file), fileName, 'index.ts')].find((f) => existsSync(f));
      if (!target) continue;
      const targetRel = toRel(target);
      if (targetRel.startsWith(`${tree}/`) && !isTest(targetRel)) targets.add(targetRel);
    }
    files.set(rel, targets);
  }
  return { files };
}

/** The graph collapsed to folders: an edge A → B when a file directly in A imports one directly in B. */
export function folderGraph(graph: ImportGraph): Map<string, Set<string>> {
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph.files) {
    const from = dirname(file);
    const edges = folders.get(from) ?? new Set<string>();
    folders.set(from, edges);
    for (const target of targets) {
      const to = dirname(target);
      if (to !== from) edges.add(to);
    }
  }
  return folders;
}

/** Strongly connected components of more than one node, or a node importing itself: each is a cycle. */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return found;
}

/** `npm run graph`: each tree's folder graph, one `from → to, to` line per folder, and its cycles. */
if (require.main === module) {
  for (const tree of checkedTrees) {
    const folders = folderGraph(readImportGraph(tree));
    console.log(`\n${tree}`);
    for (const [from, to] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`  ${from} → ${[...to].sort().join(', ') || '(nothing)'}`);
    }
    for (const cycle of cycles(folders)) console.log(`  folder cycle: ${cycle.join(' ⇄ ')}`);
    for (const cycle of cycles(readImportGraph(tree).files)) console.log(`  file cycle: ${cycle.join(' ⇄ ')}`);
  }
}
