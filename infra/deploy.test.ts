import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

import type { RegisteredFunctionInfo } from '@hubbub/functions-host';

import { azureSteps, describe as describeStep, parametersFile, parseArgs } from './deploy';
import { buildPackage } from './package';

const root = resolve(__dirname, '..');

describe('deploy arguments', () => {
  it('needs a valid app name and, outside a dry run, the Entra app id', () => {
    expect(() => parseArgs([], root)).toThrow(/--name/);
    expect(() => parseArgs(['--name', 'Bad_Name'], root)).toThrow(/--name/);
    expect(() => parseArgs(['--name', 'hubbub-demo'], root)).toThrow(/--auth-client-id/);
    expect(parseArgs(['--name', 'hubbub-demo', '--dry-run'], root)).toMatchObject({
      name: 'hubbub-demo',
      resourceGroup: 'hubbub-demo-rg',
      signalrSku: 'Free_F1',
      dryRun: true,
    });
    expect(() => parseArgs(['--name', 'x1', '--signalr-sku', 'Premium_P1', '--dry-run'], root)).toThrow(/signalr-sku/);
  });

  it('plans resource group, template and func publish, with the secret in a parameters file, never an argument', () => {
    const options = parseArgs(
      ['--name', 'hubbub-demo', '--auth-client-id', 'abc', '--signalr-sku', 'Standard_S1'],
      root,
    );
    const steps = azureSteps(options, root, '/tmp/hubbub-deploy-1/parameters.json');
    const printed = steps.map(describeStep);
    expect(printed).toHaveLength(3);
    expect(printed[0]).toBe('az group create --name hubbub-demo-rg --location westeurope');
    expect(printed[1]).toContain('--template-file');
    expect(printed[1]).toContain('--parameters @/tmp/hubbub-deploy-1/parameters.json');
    expect(printed[2]).toContain('func azure functionapp publish hubbub-demo');
    // The upstream needs no key: nothing is read back from the app and nothing deployed twice.
    expect(printed.join('\n')).not.toMatch(/keys list|signalrExtensionKey/);

    const secrets = { clientSecret: 's3cret-value', vapidPublicKey: 'BPublic', vapidPrivateKey: 'vapid-s3cret' };
    const file = JSON.parse(parametersFile(options, secrets)) as {
      parameters: Record<string, { value: string }>;
    };
    expect(file.parameters).toEqual({
      appName: { value: 'hubbub-demo' },
      signalrSku: { value: 'Standard_S1' },
      authClientId: { value: 'abc' },
      authClientSecret: { value: 's3cret-value' },
      vapidPublicKey: { value: 'BPublic' },
      vapidPrivateKey: { value: 'vapid-s3cret' },
    });
    const template = JSON.parse(readFileSync(join(root, 'infra/main.json'), 'utf8')) as {
      parameters: Record<string, { type: string; defaultValue?: unknown }>;
    };
    // Every parameter passed is declared, and every required one is passed.
    for (const name of Object.keys(file.parameters)) expect(template.parameters[name]).toBeDefined();
    for (const [name, p] of Object.entries(template.parameters)) {
      if (p.defaultValue === undefined) expect(file.parameters[name]).toBeDefined();
    }
    expect(template.parameters['authClientSecret'].type).toBe('securestring');
    expect(template.parameters['vapidPrivateKey'].type).toBe('securestring');
  });
});

describe('npm run deploy -- --dry-run', () => {
  it('packages the app and prints every Azure command without running any', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hubbub-dry-run-'));
    try {
      const printed = execFileSync(
        process.execPath,
        [join(root, 'dist/infra/deploy.js'), '--name', 'hubbub-dry', '--dry-run', '--skip-build', '--out', out],
        { encoding: 'utf8', env: { ...process.env, HUBBUB_AUTH_CLIENT_SECRET: 'never-printed' }, timeout: 120_000 },
      );
      expect(existsSync(join(out, 'host.json'))).toBe(true);
      expect(printed).toContain('Dry run');
      for (const command of [
        'az group create',
        'az deployment group create',
        'func azure functionapp publish hubbub-dry',
      ]) {
        expect(printed).toContain(command);
      }
      expect(printed).not.toContain('never-printed');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('deployment package', () => {
  let out: string;
  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/functions')) || !existsSync(join(root, 'dist/spa/browser/index.html'))) {
      throw new Error('Build first (npm run build): the package is made from dist/');
    }
    out = await mkdtemp(join(tmpdir(), 'hubbub-package-'));
    await buildPackage({ root, outDir: out, installDependencies: true, log: () => undefined });
  }, 180_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('holds host.json, the compiled functions, the SPA and a package.json without dev dependencies', () => {
    expect(existsSync(join(out, 'host.json'))).toBe(true);
    expect(existsSync(join(out, 'dist/spa/browser/index.html'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['devDependencies']).toBeUndefined();
    expect(Object.keys(manifest['dependencies'] as object).sort()).toEqual([
      '@azure/data-tables',
      '@azure/functions',
      '@azure/identity',
      '@azure/storage-blob',
      '@azure/storage-queue',
      'mime-types',
      'negotiator',
      'valibot',
      'web-push',
    ]);
    const installed = readdirSync(join(out, 'node_modules'));
    for (const dev of ['jest', 'typescript', '@angular', 'azurite', 'eslint', '@playwright', 'node']) {
      expect(installed).not.toContain(dev);
    }
    expect(installed).toContain('@azure');
  });

  it('ships nothing of the tests: no test files, testing helpers, fixtures, seeding or local stack', () => {
    const shipped = listFiles(join(out, 'dist'));
    expect(shipped.filter((f) => /(^|\/)(testing|test-fixtures)\/|\.(test|spec)\.|\.map$/.test(f))).toEqual([]);
    expect(existsSync(join(out, 'dist/local'))).toBe(false);
    for (const file of shipped.filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(join(out, 'dist', file), 'utf8');
      expect({
        file,
        testCode: /importMessages|from ['"]jest|require\("[^"]*(testing|local\/)[^"]*"\)/.test(source),
      }).toEqual({
        file,
        testCode: false,
      });
    }
  });

  it('has a main that matches exactly the function files', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as { main: string };
    expect(manifest.main).toBe('dist/functions/*.js');
    const packaged = readdirSync(join(out, 'dist/functions')).filter((f) => f.endsWith('.js'));
    const sources = readdirSync(join(root, 'functions'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => basename(f, '.ts') + '.js');
    expect(packaged.sort()).toEqual(sources.sort());
  });

  it('registers, from the package, exactly the functions, routes and bindings docs/http-api.md documents', async () => {
    const doc = readFileSync(join(root, 'docs/http-api.md'), 'utf8');
    const section = doc.split('\n## Functions\n')[1].split('\n## ')[0];
    const documented = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => {
        const [name, trigger, route, methods, bindings] = line
          .split('|')
          .slice(1, 6)
          .map((c) => c.trim().replace(/`/g, ''));
        return { name, trigger, route, methods, bindings };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    // A separate Node process loads the package as Azure would (plain require, the package's own node_modules).
    const script = `require(${JSON.stringify(join(root, 'packages/functions-host/dist/index.js'))})
      .startFunctionsHost({ appRoot: ${JSON.stringify(out)}, port: 0, log: () => {} })
      .then(async (host) => { process.stdout.write(JSON.stringify(host.functions)); await host.close(); });`;
    const functions = JSON.parse(
      // The queue trigger needs its storage setting to start (its listener polls nothing here: the host closes at once).
      execFileSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, HUBBUB_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' },
      }),
    ) as RegisteredFunctionInfo[];
    const registered = functions
      .map((f) => ({
        name: f.name,
        trigger: f.triggerType.replace(/Trigger$/, ''),
        route: f.signalR ? `${f.signalR.category}/${f.signalR.event}` : (f.route ?? ''),
        methods: (f.methods ?? []).join(', '),
        bindings: f.bindings
          .filter((b) => !['httpTrigger', 'http', 'signalRTrigger', 'timerTrigger', 'queueTrigger'].includes(b.type))
          .map((b) => b.type)
          .join(', '),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(registered).toEqual(documented);
  });
});

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}
