/**
 * Offline checks of infra/main.json against the deployment-template schema's rules that matter
 * (no Azure, no Bicep CLI here): required top-level fields, every parameter and variable that an
 * expression uses is declared, defaults are allowed values, each resource is complete, every
 * dependsOn names a resource in the template.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Template {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { type: string; defaultValue?: unknown; allowedValues?: unknown[] }>;
  variables: Record<string, unknown>;
  resources: { type: string; apiVersion: string; name: string; dependsOn?: string[]; location?: string }[];
  outputs: Record<string, { type: string; value: unknown }>;
}

const text = readFileSync(join(__dirname, 'main.json'), 'utf8');
const template = JSON.parse(text) as Template;
const PARAMETER_TYPES = ['string', 'securestring', 'int', 'bool', 'object', 'secureObject', 'array'];

describe('infra/main.json', () => {
  it('has the deployment template envelope', () => {
    expect(template.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
    expect(template.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(Array.isArray(template.resources)).toBe(true);
  });

  it('declares every parameter and variable its expressions use, with valid types and defaults', () => {
    for (const [name, parameter] of Object.entries(template.parameters)) {
      expect(PARAMETER_TYPES).toContain(parameter.type);
      if (parameter.allowedValues && parameter.defaultValue !== undefined) {
        expect({ name, allowed: parameter.allowedValues.includes(parameter.defaultValue) }).toEqual({
          name,
          allowed: true,
        });
      }
    }
    const usedParameters = [...text.matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1]!);
    const usedVariables = [...text.matchAll(/variables\('([^']+)'\)/g)].map((m) => m[1]!);
    expect(usedParameters.filter((p) => !(p in template.parameters))).toEqual([]);
    expect(usedVariables.filter((v) => !(v in template.variables))).toEqual([]);
  });

  it('keeps every expression bracket-balanced', () => {
    const expressions = [...text.matchAll(/"\[(.*?)\]"/g)].map((m) => m[1]!);
    expect(expressions.length).toBeGreaterThan(10);
    for (const expression of expressions) {
      let depth = 0;
      for (const ch of expression.replace(/'[^']*'/g, '')) {
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect({ expression, depth }).toEqual({ expression, depth: 0 });
    }
  });

  it('describes complete resources whose dependencies are in the template', () => {
    const types = new Set(template.resources.map((r) => r.type));
    for (const resource of template.resources) {
      expect(resource.type).toMatch(/^Microsoft\.[A-Za-z]+\/[A-Za-z/]+$/);
      expect(resource.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
      expect(resource.name).toBeTruthy();
      for (const dependency of resource.dependsOn ?? []) {
        const type = /resourceId\('([^']+)'/.exec(dependency)?.[1];
        expect(types.has(type ?? '')).toBe(true);
      }
    }
  });

  it('creates SignalR Service in serverless mode, Free by default and Standard on request', () => {
    const signalr = template.resources.find((r) => r.type === 'Microsoft.SignalRService/signalR') as unknown as {
      properties: { features: { flag: string; value: string }[] };
    };
    expect(signalr.properties.features).toContainEqual({ flag: 'ServiceMode', value: 'Serverless' });
    expect(template.parameters['signalrSku']).toMatchObject({
      defaultValue: 'Free_F1',
      allowedValues: ['Free_F1', 'Standard_S1'],
    });
  });

  it('gives the Function App the settings the functions read, and platform authentication', () => {
    const site = template.resources.find((r) => r.type === 'Microsoft.Web/sites') as unknown as {
      properties: {
        siteConfig: { appSettings: { name: string }[]; cors: unknown };
        functionAppConfig: { runtime: unknown };
      };
    };
    const settings = site.properties.siteConfig.appSettings.map((s) => s.name);
    expect(settings).toEqual(
      expect.arrayContaining([
        'AzureSignalRConnectionString',
        'HUBBUB_STORAGE_CONNECTION_STRING',
        'AzureWebJobsStorage',
      ]),
    );
    expect(site.properties.siteConfig.cors).toBeDefined();
    expect(site.properties.functionAppConfig.runtime).toEqual({ name: 'node', version: "[parameters('nodeVersion')]" });
    const auth = template.resources.find((r) => r.type === 'Microsoft.Web/sites/config');
    expect(auth?.name).toContain('authsettingsV2');
  });
});
