/**
 * infra/main.json against Microsoft's published ARM schemas (infra/schemas/): the envelope against
 * deploymentTemplate.json, each resource against its type at its API version, expressions
 * treated as ARM treats them. And proof that the check can fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { acceptExpressions, ArmSchemas, EXPRESSION, type TemplateResource } from './arm-schema';

interface Template {
  resources: (TemplateResource & Record<string, unknown>)[];
  [key: string]: unknown;
}

const load = (): Template => JSON.parse(readFileSync(join(__dirname, 'main.json'), 'utf8')) as Template;
const schemas = new ArmSchemas();
const resource = (template: Template, type: string) => template.resources.find((r) => r.type === type)!;

describe('infra/main.json against the published ARM schemas', () => {
  it('is a valid deployment template whose every resource is valid for its type and API version', () => {
    const template = load();
    expect(template['$schema']).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
    for (const r of template.resources)
      expect({ r: r.type, ref: schemas.resourceRef(r.type, r.apiVersion) }).toEqual({
        r: r.type,
        ref: expect.stringContaining(`/${r.apiVersion}/`),
      });
    expect(schemas.validate(template)).toEqual([]);
  });

  it('refuses wrong types, an unknown enum value and a missing required property', () => {
    const broken = load();
    const storage = resource(broken, 'Microsoft.Storage/storageAccounts');
    (storage['properties'] as Record<string, unknown>)['supportsHttpsTrafficOnly'] = 'yes';
    (storage['sku'] as Record<string, unknown>)['name'] = 'Standard_XYZ';
    const signalr = resource(broken, 'Microsoft.SignalRService/signalR');
    (signalr['properties'] as Record<string, Record<string, unknown>>)['upstream']['templates'] = 'https://a.example';
    const plan = resource(broken, 'Microsoft.Web/serverfarms');
    delete plan['properties'];
    const problems = schemas.validate(broken);
    const text = JSON.stringify(problems);
    expect(problems.map((p) => p.where.split(' ')[0])).toEqual([
      'Microsoft.Storage/storageAccounts@2023-05-01',
      'Microsoft.SignalRService/signalR@2024-03-01',
      'Microsoft.Web/serverfarms@2023-12-01',
    ]);
    expect(text).toContain('/properties/supportsHttpsTrafficOnly must be boolean');
    // Only the real faults are reported, not "or it could have been an expression".
    expect(problems.flatMap((p) => p.errors)).toHaveLength(4);
    expect(text).toContain('allowed values');
    expect(text).toContain('/properties/upstream/templates must be array');
    expect(text).toContain("required property 'properties'");
  });

  it('refuses a resource at an API version that has no vendored schema', () => {
    const wrongVersion = load();
    const site = resource(wrongVersion, 'Microsoft.Web/sites');
    site.apiVersion = '2024-03-01';
    expect(JSON.stringify(schemas.validate(wrongVersion))).toContain('no vendored schema for Microsoft.Web/sites');
  });

  it('refuses a broken envelope', () => {
    const broken = load();
    broken['contentVersion'] = '1.0';
    (broken['parameters'] as Record<string, Record<string, unknown>>)['appName']['type'] = 'text';
    const problems = schemas.validate(broken);
    expect(problems.map((p) => p.where)).toEqual(['template']);
    expect(JSON.stringify(problems)).toContain('/contentVersion');
    expect(JSON.stringify(problems)).toContain('/parameters/appName/type');
  });

  it('accepts an expression wherever a value goes, as ARM does, but not a `[[` literal where the value is constrained', () => {
    expect(EXPRESSION.test("[parameters('x')]")).toBe(true);
    expect(EXPRESSION.test('[]')).toBe(true);
    expect(EXPRESSION.test("[[parameters('x')]")).toBe(false);
    expect(EXPRESSION.test('plain')).toBe(false);
    const withExpressions = load();
    const storage = resource(withExpressions, 'Microsoft.Storage/storageAccounts');
    (storage['properties'] as Record<string, unknown>)['supportsHttpsTrafficOnly'] = '[equals(1, 1)]';
    (storage['sku'] as Record<string, unknown>)['name'] = "[parameters('location')]";
    expect(schemas.validate(withExpressions)).toEqual([]);
    (storage['sku'] as Record<string, unknown>)['name'] = '[[not an expression]';
    expect(schemas.validate(withExpressions)).not.toEqual([]);
  });

  it('widens every constrained subschema and reads oneOf as anyOf, leaving the rest as published', () => {
    const widened = acceptExpressions({
      id: 'https://example/x.json#',
      definitions: { n: { oneOf: [{ type: 'integer' }, { $ref: '#/definitions/e' }] }, d: { description: 'x' } },
    }) as Record<string, Record<string, unknown>>;
    expect(widened['id']).toBe('https://example/x.json#');
    expect(widened['definitions']['d']).toEqual({ description: 'x' });
    expect(widened['definitions']['n']).toEqual({
      anyOf: [
        { type: 'string', pattern: EXPRESSION.source },
        {
          anyOf: [
            { anyOf: [{ type: 'string', pattern: EXPRESSION.source }, { type: 'integer' }] },
            { anyOf: [{ type: 'string', pattern: EXPRESSION.source }, { $ref: '#/definitions/e' }] },
          ],
        },
      ],
    });
  });
});
