/**
 * `npm run deploy -- --name <app> --resource-group <rg> --auth-client-id <id> [options]`:
 * build, package, create or update the Azure resources (infra/main.json) and publish with
 * `func azure functionapp publish`. `--dry-run` does everything that needs no Azure and prints
 * each command it would run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  /** Values to print as *** (secrets). */
  readonly secrets?: readonly string[];
  /** Capture stdout (for the key read back) instead of showing it. */
  readonly capture?: boolean;
}

const USAGE = `Usage: npm run deploy -- --name <app> --resource-group <rg> --auth-client-id <entra-app-id>
       [--location westeurope] [--signalr-sku Free_F1|Standard_S1] [--out .deploy] [--dry-run] [--skip-build]
The Entra app's client secret is read from HUBBUB_AUTH_CLIENT_SECRET (never from the command line).`;

export function parseArgs(argv: readonly string[], root: string): DeployOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
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
  if (!authClientId) throw new Error(`--auth-client-id is required (see README, Deploying to Azure)\n${USAGE}`);
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

/** The Azure steps, in order. `{signalrKey}` is filled in from the key step's output. */
export function azureSteps(options: DeployOptions, root: string, clientSecret: string): Step[] {
  const template = join(root, 'infra/main.json');
  const parameters = [
    `appName=${options.name}`,
    `signalrSku=${options.signalrSku}`,
    `authClientId=${options.authClientId}`,
    `authClientSecret=${clientSecret}`,
  ];
  const deployment = (extra: string[]): string[] => [
    'deployment',
    'group',
    'create',
    '--resource-group',
    options.resourceGroup,
    '--name',
    `${options.name}-hubbub`,
    '--template-file',
    template,
    '--parameters',
    ...parameters,
    ...extra,
  ];
  return [
    {
      title: 'Create the resource group (no change if it exists)',
      command: 'az',
      args: ['group', 'create', '--name', options.resourceGroup, '--location', options.location],
    },
    {
      title: 'Create or update SignalR Service, Storage and the Function App',
      command: 'az',
      args: deployment([]),
      secrets: [clientSecret],
    },
    {
      title: 'Publish the Functions app and the SPA',
      command: 'func',
      args: ['azure', 'functionapp', 'publish', options.name],
      cwd: options.outDir,
    },
    {
      title: "Read the Function App's signalr_extension key for the upstream URL",
      command: 'az',
      args: [
        'functionapp',
        'keys',
        'list',
        '--name',
        options.name,
        '--resource-group',
        options.resourceGroup,
        '--query',
        'systemKeys.signalr_extension',
        '--output',
        'tsv',
      ],
      capture: true,
    },
    {
      title: 'Point SignalR upstream at /runtime/webhooks/signalr (presence)',
      command: 'az',
      args: deployment(['signalrExtensionKey={signalrKey}']),
      secrets: [clientSecret, '{signalrKey}'],
    },
  ];
}

export function describe(step: Step): string {
  const shown = step.args.map((arg) =>
    (step.secrets ?? []).reduce((text, secret) => (secret ? text.split(secret).join('***') : text), arg),
  );
  return `${step.cwd ? `(cd ${step.cwd} && ` : ''}${[step.command, ...shown].map(quote).join(' ')}${step.cwd ? ')' : ''}`;
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
  const steps = azureSteps(options, root, secret || '<HUBBUB_AUTH_CLIENT_SECRET>');
  if (options.dryRun) {
    log('Dry run: the package is built; these are the commands a real deployment runs:');
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
  let signalrKey = '';
  for (const [i, step] of steps.entries()) {
    const args = step.args.map((a) => a.replace('{signalrKey}', signalrKey));
    log(`${i + 1}/${steps.length} ${step.title}\n     ${describe(step)}`);
    const command = which(step.command, root) ?? step.command;
    if (step.capture) {
      signalrKey = execFileSync(command, args, { cwd: step.cwd ?? root, encoding: 'utf8' }).trim();
      if (!signalrKey)
        throw new Error('The Function App has no signalr_extension key yet; run the deploy again in a minute');
    } else {
      execFileSync(command, args, { cwd: step.cwd ?? root, stdio: 'inherit' });
    }
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
