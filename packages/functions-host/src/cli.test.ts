/**
 * The CLI in a real Node process: proves the `@azure/functions-core` require hook works outside
 * Jest's module registry, and that the host prints its functions, logs requests and stops on signals.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

import ts from 'typescript';

import { fixtureRoot } from './testing/helpers';

const packageRoot = join(__dirname, '..');
// Inside the package so the compiled files resolve node_modules like dist/ does.
const outDir = join(packageRoot, `.cli-test-${process.pid}`);

async function sources(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['testing', 'test-fixtures'].includes(entry.name)) found.push(...(await sources(path)));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      found.push(path);
    }
  }
  return found;
}

/** Transpiles the host (no type-check: tsc does that) to CommonJS, with a launcher standing in for the bin. */
async function buildCli(): Promise<string> {
  for (const file of await sources(__dirname)) {
    const output = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const target = join(outDir, relative(__dirname, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.outputText);
  }
  const launcher = join(outDir, 'launch.js');
  await writeFile(launcher, "require('./cli.js').main();\n");
  return launcher;
}

interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  output(): string;
  exited: Promise<number | null>;
}

async function startCli(cli: string, args: string[]): Promise<CliProcess> {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, HUBBUB_AUTH_SECRET: '' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /Host listening on (http:\/\/localhost:\d+)/.exec(stdout);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
  });
  return { child, url, output: () => stdout, exited };
}

async function waitForOutput(cli: CliProcess, pattern: RegExp): Promise<void> {
  while (!pattern.test(cli.output())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('functions-host CLI', () => {
  let cli: string;

  beforeAll(async () => {
    cli = await buildCli();
  }, 60_000);
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('loads the app through the require hook, lists functions, logs requests and stops on SIGTERM', async () => {
    const proc = await startCli(cli, ['--port', '0', '--app-root', fixtureRoot('basic-app')]);
    try {
      expect(proc.output()).toContain(`echo: [GET,POST,PUT] ${proc.url}/api/echo/{id?}`);
      expect(proc.output()).toContain('echoMessage: signalRTrigger (hub chat, messages/echo)');
      expect(proc.output()).toContain(`SignalR upstream for signalRTrigger: ${proc.url}/runtime/webhooks/signalr`);
      const response = await fetch(`${proc.url}/api/echo/1?token=do-not-log`, {
        headers: { cookie: 'AppServiceAuthSession=x' },
      });
      expect(((await response.json()) as { params: unknown }).params).toEqual({ id: '1' });
      await waitForOutput(proc, /GET \/api\/echo\/1 200 \d+ms \(echo\)/);
      expect(proc.output()).not.toContain('do-not-log');
      expect(proc.output()).not.toContain('AppServiceAuthSession');
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain('SIGTERM received, stopping the Functions host');
  }, 30_000);

  it('with --keys prints the keys once at start, and they open function-level functions', async () => {
    const proc = await startCli(cli, ['--port', '0', '--app-root', fixtureRoot('keys-app'), '--keys']);
    try {
      const master = /master \(admin and function level\): (\S+)/.exec(proc.output())?.[1];
      const own = /keyed default: (\S+)/.exec(proc.output())?.[1];
      expect(master).toBeDefined();
      // No signalRTrigger function: no upstream webhook to name (an app's own HTTP route is in the list).
      expect(proc.output()).not.toContain('/runtime/webhooks/signalr');
      expect((await fetch(`${proc.url}/api/keyed`)).status).toBe(401);
      expect((await fetch(`${proc.url}/api/keyed?code=${own}`)).status).toBe(200);
      expect((await fetch(`${proc.url}/api/adminOnly`, { headers: { 'x-functions-key': master! } })).status).toBe(200);
      await waitForOutput(proc, /GET \/api\/adminOnly 200/);
      expect(proc.output().split(master!).length).toBe(2);
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited).toBe(0);
  }, 30_000);

  it('stops on SIGINT too, and rejects bad arguments', async () => {
    const proc = await startCli(cli, ['--port', '0', '--app-root', fixtureRoot('basic-app')]);
    proc.child.kill('SIGINT');
    expect(await proc.exited).toBe(0);

    const bad = spawn(process.execPath, [cli, '--port', 'seventy']);
    expect(await new Promise((resolve) => bad.once('exit', resolve))).toBe(2);
  }, 30_000);
});
