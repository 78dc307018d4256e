/**
 * Validates an ARM template offline against Microsoft's published schemas (vendored in
 * infra/schemas/, see its README): the envelope against deploymentTemplate.json, and each resource
 * against the `resourceDefinitions` entry for its type in the provider file of its API version,
 * together with the template's own `resourceBase` (location, tags, dependsOn, …).
 *
 * ARM evaluates an expression (a string that starts with `[`, not `[[`, and ends with `]`) before it
 * checks the value against the resource type, so an expression may stand for any value. The
 * schemas say so with `oneOf: [<the value>, expression]` on most properties, but not on all (plain
 * `type: string` ones with a pattern, enums, resource names); so every subschema is made to accept
 * an expression first, and `oneOf` is read as `anyOf` (an expression string would otherwise match
 * both the schema's own expression branch and ours, and `oneOf` refuses two matches). Everything
 * that is not an expression is checked as the schema says: types, enums, patterns, required and
 * unknown properties.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/** infra/schemas, from the source (ts-jest) or from the compiled file in dist/infra. */
export const SCHEMA_DIR =
  [join(__dirname, 'schemas'), join(__dirname, '../../infra/schemas')].find((dir) => existsSync(dir)) ??
  join(__dirname, 'schemas');
const SCHEMA_HOST = 'https://schema.management.azure.com/schemas/';
const DEPLOYMENT_TEMPLATE = `${SCHEMA_HOST}2019-04-01/deploymentTemplate.json`;
/** ARM's rule: `[...]` is an expression, `[[...` is a literal string that starts with `[`. */
export const EXPRESSION = /^\[(?!\[)[\s\S]*\]$/;
const EXPRESSION_SCHEMA = { type: 'string', pattern: EXPRESSION.source };

type Schema = Record<string, unknown>;

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_VALUES = new Set(['additionalProperties', 'additionalItems', 'items', 'not']);

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A subschema that also accepts any ARM expression, with its own subschemas treated the same way. */
export function acceptExpressions(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'oneOf' && Array.isArray(value)) {
      out['anyOf'] = value.map(acceptExpressions);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(acceptExpressions);
    } else if ((SCHEMA_MAPS.has(key) || key.endsWith('resourceDefinitions')) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, acceptExpressions(sub)]));
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = Array.isArray(value) ? value.map(acceptExpressions) : acceptExpressions(value);
    } else {
      out[key] = value;
    }
  }
  // A schema document's root keeps its id and $schema; only the value it describes is widened.
  const { id, $schema: _schema, ...rest } = out;
  const isRoot = typeof id === 'string';
  const hasConstraints = Object.keys(rest).some((key) => !['description', 'title', 'definitions'].includes(key));
  if (isRoot || !hasConstraints) return out;
  return { anyOf: [EXPRESSION_SCHEMA, rest] };
}

/**
 * deploymentTemplate.json lists every resource schema ever published under `resources`, by
 * address; we have the few this template uses, so `resources` is only required to be an array of
 * objects there and each resource is checked against its own type's schema instead.
 */
function envelopeOnly(schema: Schema): Schema {
  const properties = { ...(schema['properties'] as Schema) };
  properties['resources'] = { type: 'array', items: { type: 'object' } };
  const definitions = { ...(schema['definitions'] as Schema) };
  for (const name of ['resource', 'resourcesWithSymbolicName', 'resourcesWithoutSymbolicName'])
    delete definitions[name];
  return { ...schema, properties, definitions };
}

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return schemaFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

export interface TemplateResource {
  type: string;
  apiVersion: string;
  name: string;
  [key: string]: unknown;
}

export interface SchemaProblem {
  /** `template` or `<type>@<apiVersion> <name>`. */
  readonly where: string;
  readonly errors: string[];
}

export class ArmSchemas {
  private readonly ajv: Ajv;
  private readonly ids = new Set<string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(dir: string = SCHEMA_DIR) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, verbose: true });
    addFormats(this.ajv);
    for (const file of schemaFiles(dir)) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema;
      const id = (typeof schema['id'] === 'string' ? schema['id'] : '').replace(/#$/, '');
      if (id !== `${SCHEMA_HOST}${relative(dir, file).split('\\').join('/')}`) {
        throw new Error(`${file} has id ${id}, not the published address of its path`);
      }
      this.ids.add(id);
      this.ajv.addSchema(acceptExpressions(id === DEPLOYMENT_TEMPLATE ? envelopeOnly(schema) : schema) as Schema, id);
    }
  }

  /** The schema address for a resource type and API version, or undefined when none is vendored. */
  resourceRef(type: string, apiVersion: string): string | undefined {
    const [provider, ...path] = type.split('/');
    const file = `${SCHEMA_HOST}${apiVersion}/${provider}.json`;
    return this.ids.has(file) && path.length > 0 ? `${file}#/resourceDefinitions/${path.join('_')}` : undefined;
  }

  validate(template: { resources?: unknown }): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    const errors = this.check(this.compile(DEPLOYMENT_TEMPLATE, { $ref: DEPLOYMENT_TEMPLATE }), template);
    if (errors.length > 0) problems.push({ where: 'template', errors });
    const resources = Array.isArray(template.resources) ? (template.resources as TemplateResource[]) : [];
    for (const [i, resource] of resources.entries()) {
      const where = `${resource.type}@${resource.apiVersion} ${resource.name}`;
      const ref = this.resourceRef(resource.type, resource.apiVersion);
      if (!ref) {
        problems.push({
          where,
          errors: [`no vendored schema for ${resource.type} at API version ${resource.apiVersion}`],
        });
        continue;
      }
      const validator = this.compile(ref, {
        allOf: [{ $ref: `${DEPLOYMENT_TEMPLATE}#/definitions/resourceBase` }, { $ref: ref }],
      });
      const found = this.check(validator, resource).map((e) => `/resources/${i}${e}`);
      if (found.length > 0) problems.push({ where, errors: found });
    }
    return problems;
  }

  private compile(key: string, schema: Schema): ValidateFunction {
    let validator = this.compiled.get(key);
    if (!validator) {
      validator = this.ajv.compile(schema);
      this.compiled.set(key, validator);
    }
    return validator;
  }

  private check(validator: ValidateFunction, value: unknown): string[] {
    if (validator(value)) return [];
    return simplify(validator.errors ?? []);
  }
}

/** The expression patterns: ours, and common/definitions.json's `expression`. */
const EXPRESSION_PATTERNS = new Set([EXPRESSION.source, '^\\[([^\\[].*)?\\]$']);

/** The errors worth reading: not "…or it could have been an expression", nor the any/allOf summaries. */
function simplify(errors: readonly ErrorObject[]): string[] {
  const lines = errors
    .filter((e) => {
      const parent = e.parentSchema;
      return !(typeof parent?.['pattern'] === 'string' && EXPRESSION_PATTERNS.has(parent['pattern']));
    })
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'allOf')
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  return [...new Set(lines)];
}
