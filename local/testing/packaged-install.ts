/**
 * For the packages' packaged-install tests: `npm pack` a workspace package, install the tarball into
 * an empty temporary project (its dependencies from the registry, as a user gets them) and run its
 * bin there, so nothing from this repository is on the path.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackedInstall {
  /** The temporary project the tarball is installed in. */
  readonly dir: string;
  readonly tarballBytes: number;
  readonly unpackedBytes: number;
  readonly fileCount: number;
  readonly installMs: number;
  /** What was measured, for the test log: sizes, file count, install time. */
  summary(): string;
  remove(): Promise<void>;
}

/**
 * Packs `packageDir` (its dist/ must be built: `npm run build:packages`) and installs the tarball,
 * plus `extraDependencies` (what the user's own project would depend on), into a fresh temp project.
 */
export async function packAndInstall(
  packageDir: string,
  extraDependencies: Record<string, string> = {},
): Promise<PackedInstall> {
  if (!existsSync(join(packageDir, 'dist', 'cli.js')))
    throw new Error(`Build ${packageDir} first: npm run build:packages`);
  const dir = await mkdtemp(join(tmpdir(), 'hubbub-packaged-'));
  try {
    // --ignore-scripts: pack the dist/ that was built, never rebuild it under other running tests.
    const packed = await run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: packageDir,
    });
    const [info] = JSON.parse(packed.stdout) as {
      filename: string;
      size: number;
      unpackedSize: number;
      entryCount: number;
    }[];
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'packaged-install-test', private: true, dependencies: extraDependencies }),
    );
    const started = Date.now();
    await run(NPM, ['install', '--no-audit', '--no-fund', '--no-package-lock', join(dir, info.filename)], {
      cwd: dir,
      // A workspace setting from the environment must not turn this into an install of the repository.
      env: { ...process.env, npm_config_workspaces: undefined, npm_config_workspace: undefined },
    });
    const installMs = Date.now() - started;
    return {
      dir,
      tarballBytes: info.size,
      unpackedBytes: info.unpackedSize,
      fileCount: info.entryCount,
      installMs,
      summary: () =>
        `${info.filename}: tarball ${info.size} B, unpacked ${info.unpackedSize} B, ${info.entryCount} files, npm install ${installMs} ms`,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface RunningBin {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs the installed bin in `dir`: through `npx --no-install <bin>` as a user does, or (`direct`)
 * the script npx would run, so that a signal reaches the server itself and not only npx.
 * `preload` is a file given to Node's `--require`.
 */
export function startBin(
  dir: string,
  bin: string,
  args: string[],
  options: { direct?: boolean; preload?: string } = {},
): RunningBin {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.preload) env['NODE_OPTIONS'] = `--require ${options.preload}`;
  const child = options.direct
    ? spawn(process.execPath, [join(dir, 'node_modules', '.bin', bin), ...args], { cwd: dir, env })
    : spawn('npx', ['--no-install', bin, ...args], { cwd: dir, env });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => stdout + stderr,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const match = pattern.exec(stdout);
          if (match) resolve(match);
          return match !== null;
        };
        if (check()) return;
        const onData = (): void => {
          if (check()) child.stdout?.off('data', onData);
        };
        child.stdout?.on('data', onData);
        void exited.then((code) =>
          reject(new Error(`${bin} exited with ${code} before ${pattern}: ${stdout}${stderr}`)),
        );
      }),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Exit code and output of `npx <bin> ...args` run to completion. */
export async function runBin(
  dir: string,
  bin: string,
  args: string[],
  preload?: string,
): Promise<{ code: number | null; output: string }> {
  const proc = startBin(dir, bin, args, { preload });
  const code = await proc.exited;
  return { code, output: proc.output() };
}

/**
 * The tests every packaged bin passes: `--help` through npx, and, under a Node older than its
 * engines (faked with a preloaded file), one line saying what it needs instead of a crash.
 */
export function itRunsThroughNpx(installed: () => PackedInstall, bin: string, usage: string, needs: string): void {
  it('answers --help through npx', async () => {
    const { code, output } = await runBin(installed().dir, bin, ['--help']);
    expect(code).toBe(0);
    expect(output).toContain(usage);
  }, 30_000);

  it('says in one line that it needs a newer Node instead of failing on a missing API', async () => {
    const fake = join(installed().dir, 'old-node.js');
    await writeFile(
      fake,
      "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '18.19.1' } });\n",
    );
    const { code, output } = await runBin(installed().dir, bin, ['--help'], fake);
    expect(code).toBe(1);
    expect(output.trim()).toBe(`${bin} needs Node ${needs} or newer; this is Node 18.19.1.`);
  }, 30_000);
}
