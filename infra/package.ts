/**
 * Builds the one folder `func azure functionapp publish` uploads: host.json, a package.json with
 * only what the functions need at run time, the compiled functions and the built SPA (served by the
 * `spa` function), and production node_modules.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

/** What the functions run: their own compiled files and the wire contract they share with the SPA. */
const COMPILED_FOLDERS = ['dist/functions', 'dist/contract'];

/** Source maps and anything a test or benchmark build left in dist (testing/ folders) stay home. */
const shipped = (src: string): boolean => !src.endsWith('.map') && !/[\\/]testing([\\/]|$)/.test(src);

export interface PackageOptions {
  readonly root: string;
  readonly outDir: string;
  /** Run `npm install --omit=dev` in the package (needs the npm registry, not Azure). */
  readonly installDependencies: boolean;
  readonly log: (line: string) => void;
}

interface PackageJson {
  name: string;
  version: string;
  description?: string;
  main: string;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Packages the compiled functions require, read from the compiled files themselves. */
export async function runtimeDependencies(functionsDir: string): Promise<Set<string>> {
  const needed = new Set<string>();
  const builtins = new Set(builtinModules);
  for (const file of await listJs(functionsDir)) {
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/require\("([^"./][^"]*)"\)/g)) {
      const spec = match[1];
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      const parts = spec.split('/');
      needed.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return needed;
}

export async function buildPackage(options: PackageOptions): Promise<string> {
  const { root, outDir, log } = options;
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as PackageJson;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  log(`Packaging the Functions app and the SPA into ${outDir}`);
  await cp(join(root, 'host.json'), join(outDir, 'host.json'));
  for (const compiled of COMPILED_FOLDERS) {
    await cp(join(root, compiled), join(outDir, compiled), { recursive: true, filter: shipped });
  }
  await cp(join(root, 'dist/spa/browser'), join(outDir, 'dist/spa/browser'), { recursive: true });

  const needed = new Set<string>();
  for (const compiled of COMPILED_FOLDERS)
    for (const name of await runtimeDependencies(join(root, compiled))) needed.add(name);
  const dependencies: Record<string, string> = {};
  for (const name of [...needed].sort()) {
    const version = manifest.dependencies[name];
    if (!version) throw new Error(`The functions require ${name}, which is not in package.json dependencies`);
    dependencies[name] = version;
  }
  const deployManifest: PackageJson = {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    main: manifest.main,
    dependencies,
  };
  await writeFile(join(outDir, 'package.json'), JSON.stringify(deployManifest, null, 2) + '\n');
  await writeFile(join(outDir, '.funcignore'), ['*.map', '*.ts', 'local.settings.json', ''].join('\n'));

  if (options.installDependencies) {
    log(`Installing production dependencies (${Object.keys(dependencies).join(', ')})…`);
    execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: outDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return outDir;
}

async function listJs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listJs(path)));
    else if (entry.name.endsWith('.js')) out.push(path);
  }
  return out;
}
