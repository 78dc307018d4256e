/**
 * `npm run deploy -- --name <app> --resource-group <rg> --auth-client-id <id> [options]`:
 * build, package, create or update the Azure resources (infra/main.json) and publish with
 * `func azure functionapp publish`. `--dry-run` does everything that needs no Azure and prints
 * each command it would run.
 *
 * No secret is ever a command-line argument (anyone on the machine can read those): the Entra
 * client secret comes from the environment and reaches `az` in a parameters file only the user
 * can read, deleted afterwards, with the VAPID key pair push is signed with (docs/push.md): the
 * app's own when it has one (read from its settings, never printed), else a new pair; every other
 * key is read by the template itself (listKeys).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import webpush from 'web-push';

import { buildPackage } from './package';

export interface DeployOptions {
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly signalrSku: 'Free_F1' | 'Standard_S1';
  readonly authClientId: string;
  readonly dryRun: boolean;
  readonly skipBuild: boolean;
  readonly outDir: string;
}

export interface Step {
  readonly title: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
}

/** What the parameters file carries besides the options: the Entra client secret and the VAPID pair. */
export interface DeploySecrets {
  readonly clientSecret: string;
  readonly vapidPublicKey: string;
  readonly vapidPrivateKey: string;
}

/** The ARM deployment parameters file (deploymentParameters.json format) that carries the secrets to `az`. */
export function parametersFile(options: DeployOptions, secrets: DeploySecrets): string {
  const value = (v: string) => ({ value: v });
  return (
    JSON.stringify(
      {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
        contentVersion: '1.0.0.0',
        parameters: {
          appName: value(options.name),
          signalrSku: value(options.signalrSku),
          authClientId: value(options.authClientId),
          authClientSecret: value(secrets.clientSecret),
          vapidPublicKey: value(secrets.vapidPublicKey),
          vapidPrivateKey: value(secrets.vapidPrivateKey),
        },
      },
      null,
      2,
    ) + '\n'
  );
}

const USAGE = `Usage: npm run deploy -- --name <app> --resource-group <rg> --auth-client-id <entra-app-id>
       [--location westeurope] [--signalr-sku Free_F1|Standard_S1] [--out .deploy] [--dry-run] [--skip-build]
The Entra app's client secret is read from HUBBUB_AUTH_CLIENT_SECRET (never from the command line).`;

export function parseArgs(argv: readonly string[], root: string): DeployOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}\n${USAGE}`);
    const key = arg.slice(2);
    if (key === 'dry-run' || key === 'skip-build' || key === 'help') {
      flags.add(key);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${key} needs a value\n${USAGE}`);
    values.set(key, value);
    i++;
  }
  if (flags.has('help')) throw new Error(USAGE);
  const name = values.get('name') ?? '';
  if (!/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/.test(name)) {
    throw new Error(
      `--name must be 2-40 lower-case letters, digits and "-" (it becomes <name>.azurewebsites.net)\n${USAGE}`,
    );
  }
  const sku = values.get('signalr-sku') ?? 'Free_F1';
  if (sku !== 'Free_F1' && sku !== 'Standard_S1') throw new Error('--signalr-sku must be Free_F1 or Standard_S1');
  const dryRun = flags.has('dry-run');
  const authClientId = values.get('auth-client-id') ?? (dryRun ? '00000000-0000-0000-0000-000000000000' : '');
  if (!authClientId) throw new Error(`--auth-client-id is required (see infra/README.md)\n${USAGE}`);
  return {
    name,
    resourceGroup: values.get('resource-group') ?? `${name}-rg`,
    location: values.get('location') ?? 'westeurope',
    signalrSku: sku,
    authClientId,
    dryRun,
    skipBuild: flags.has('skip-build'),
    outDir: resolve(root, values.get('out') ?? join('.deploy', name)),
  };
}

/** The Azure steps, in order; `parameters` is the path of the parameters file (holding the secret). */
export function azureSteps(options: DeployOptions, root: string, parameters: string): Step[] {
  return [
    {
      title: 'Create the resource group (no change if it exists)',
      command: 'az',
      args: ['group', 'create', '--name', options.resourceGroup, '--location', options.location],
    },
    {
      title: 'Create or update SignalR Service (upstream to /api/signalr/events), Storage and the Function App',
      command: 'az',
      args: [
        'deployment',
        'group',
        'create',
        '--resource-group',
        options.resourceGroup,
        '--name',
        `${options.name}-hubbub`,
        '--template-file',
        join(root, 'infra/main.json'),
        '--parameters',
        `@${parameters}`,
      ],
    },
    {
      title: 'Publish the Functions app and the SPA',
      command: 'func',
      args: ['azure', 'functionapp', 'publish', options.name],
      cwd: options.outDir,
    },
  ];
}

/**
 * The VAPID pair to deploy: the app's current one, so browsers' subscriptions keep working (a new
 * pair makes every device subscribe again), else a new one. Read with `az`, its output kept in
 * memory only.
 */
export function vapidKeysFor(
  options: DeployOptions,
  root: string,
): { publicKey: string; privateKey: string; kept: boolean } {
  try {
    const listed = execFileSync(
      which('az', root) ?? 'az',
      [
        'functionapp',
        'config',
        'appsettings',
        'list',
        '--name',
        options.name,
        '--resource-group',
        options.resourceGroup,
        '--output',
        'json',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const settings = JSON.parse(listed) as { name: string; value: string }[];
    const publicKey = settings.find((s) => s.name === 'HUBBUB_VAPID_PUBLIC_KEY')?.value;
    const privateKey = settings.find((s) => s.name === 'HUBBUB_VAPID_PRIVATE_KEY')?.value;
    if (publicKey && privateKey) return { publicKey, privateKey, kept: true };
  } catch {
    // No such app yet (or no access to its settings): a new pair.
  }
  return { ...webpush.generateVAPIDKeys(), kept: false };
}

export function describe(step: Step): string {
  return `${step.cwd ? `(cd ${step.cwd} && ` : ''}${[step.command, ...step.args].map(quote).join(' ')}${step.cwd ? ')' : ''}`;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./*{}-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function which(command: string, root: string): string | undefined {
  const local = join(root, 'node_modules/.bin', command);
  if (existsSync(local)) return local;
  try {
    return execFileSync('which', [command], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function deploy(options: DeployOptions, root: string, log: (line: string) => void): Promise<void> {
  if (!options.skipBuild) {
    log('Building the Functions app and the SPA (npm run build)…');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
  await buildPackage({ root, outDir: options.outDir, installDependencies: true, log });
  const secret = process.env['HUBBUB_AUTH_CLIENT_SECRET'] ?? '';
  if (!options.dryRun && !secret) throw new Error('Set HUBBUB_AUTH_CLIENT_SECRET to a client secret of the Entra app');
  if (options.dryRun) {
    const steps = azureSteps(options, root, join(tmpdir(), 'hubbub-deploy-XXXXXX', 'parameters.json'));
    log('Dry run: the package is built; these are the commands a real deployment runs:');
    log('  (the parameters file is written just before, readable only by you, and deleted after)');
    steps.forEach((step, i) => log(`  ${i + 1}. ${step.title}\n     ${describe(step)}`));
    return;
  }
  for (const tool of ['az', 'func']) {
    if (!which(tool, root)) {
      throw new Error(
        tool === 'func'
          ? 'Azure Functions Core Tools (func) are not installed: npm install -g azure-functions-core-tools@4'
          : 'The Azure CLI (az) is not installed: https://learn.microsoft.com/cli/azure/install-azure-cli',
      );
    }
  }
  const secretDir = mkdtempSync(join(tmpdir(), 'hubbub-deploy-'));
  try {
    const parameters = join(secretDir, 'parameters.json');
    const vapid = vapidKeysFor(options, root);
    log(vapid.kept ? 'Push: keeping the app’s VAPID keys' : 'Push: new VAPID keys (browsers subscribe again)');
    const secrets = { clientSecret: secret, vapidPublicKey: vapid.publicKey, vapidPrivateKey: vapid.privateKey };
    writeFileSync(parameters, parametersFile(options, secrets), { mode: 0o600 });
    const steps = azureSteps(options, root, parameters);
    for (const [i, step] of steps.entries()) {
      log(`${i + 1}/${steps.length} ${step.title}\n     ${describe(step)}`);
      execFileSync(which(step.command, root) ?? step.command, step.args, { cwd: step.cwd ?? root, stdio: 'inherit' });
    }
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
  log(`Hubbub is live at https://${options.name}.azurewebsites.net`);
}

if (require.main === module) {
  const root = resolve(__dirname, '../..');
  try {
    const options = parseArgs(process.argv.slice(2), root);
    deploy(options, root, (line) => console.log(line)).catch((err: unknown) => {
      console.error(`Deploy failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
}
