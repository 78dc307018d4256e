/**
 * Offline checks of infra/main.json that Microsoft's schemas cannot make (schema.test.ts checks the
 * envelope and every resource against the published schemas): every parameter and variable that
 * an expression uses is declared, defaults are allowed values, expressions are balanced, every
 * dependsOn names a resource in the template, and the settings Hubbub itself needs are there.
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

describe('infra/main.json', () => {
  it('declares every parameter and variable its expressions use, with allowed defaults', () => {
    for (const [name, parameter] of Object.entries(template.parameters)) {
      if (parameter.allowedValues && parameter.defaultValue !== undefined) {
        expect({ name, allowed: parameter.allowedValues.includes(parameter.defaultValue) }).toEqual({
          name,
          allowed: true,
        });
      }
    }
    const usedParameters = [...text.matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1]);
    const usedVariables = [...text.matchAll(/variables\('([^']+)'\)/g)].map((m) => m[1]);
    expect(usedParameters.filter((p) => !(p in template.parameters))).toEqual([]);
    expect(usedVariables.filter((v) => !(v in template.variables))).toEqual([]);
  });

  it('keeps every expression bracket-balanced', () => {
    const expressions = [...text.matchAll(/"\[(.*?)\]"/g)].map((m) => m[1]);
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

  it('names in dependsOn only resources the template creates', () => {
    const types = new Set(template.resources.map((r) => r.type));
    for (const resource of template.resources) {
      for (const dependency of resource.dependsOn ?? []) {
        const type = /resourceId\('([^']+)'/.exec(dependency)?.[1];
        expect(types.has(type ?? '')).toBe(true);
      }
    }
  });

  it('creates SignalR Service in serverless mode, Free by default and Standard on request', () => {
    const signalr = template.resources.find((r) => r.type === 'Microsoft.SignalRService/signalR') as unknown as {
      properties: { features: { flag: string; value: string }[]; upstream: { templates: unknown[] } };
    };
    expect(signalr.properties.features).toContainEqual({ flag: 'ServiceMode', value: 'Serverless' });
    // Presence: connection events go to the HTTP function that checks their signature, with no key in the URL.
    expect(signalr.properties.upstream.templates).toEqual([
      {
        urlTemplate: "[variables('upstreamUrl')]",
        hubPattern: 'chat',
        categoryPattern: 'connections',
        eventPattern: 'connected,disconnected',
      },
    ]);
    expect(template.variables['upstreamUrl']).toBe("[concat('https://', variables('appHost'), '/api/signalr/events')]");
    expect(text).not.toContain('runtime/webhooks');
    expect(template.parameters['signalrSku']).toMatchObject({
      defaultValue: 'Free_F1',
      allowedValues: ['Free_F1', 'Standard_S1'],
    });
  });

  it('gives the Function App the settings the functions read, and platform authentication', () => {
    const site = template.resources.find((r) => r.type === 'Microsoft.Web/sites') as unknown as {
      properties: {
        siteConfig: { appSettings: { name: string }[]; cors?: unknown };
        functionAppConfig: { runtime: unknown };
      };
    };
    const settings = site.properties.siteConfig.appSettings.map((s) => s.name);
    expect(settings).toEqual(
      expect.arrayContaining([
        'AzureSignalRConnectionString',
        'HUBBUB_STORAGE_CONNECTION_STRING',
        'AzureWebJobsStorage',
        'HUBBUB_VAPID_PUBLIC_KEY',
        'HUBBUB_VAPID_PRIVATE_KEY',
        'HUBBUB_VAPID_SUBJECT',
      ]),
    );
    // One origin for the SPA, the API and /.auth: the app needs no CORS (which Flex Consumption's
    // preview documented as unsupported); the SignalR Service has its own CORS for the browser.
    expect(site.properties.siteConfig.cors).toBeUndefined();
    expect(site.properties.functionAppConfig.runtime).toEqual({ name: 'node', version: "[parameters('nodeVersion')]" });
    const auth = template.resources.find((r) => r.type === 'Microsoft.Web/sites/config');
    expect(auth?.name).toContain('authsettingsV2');
  });
});
