/**
 * Binding expressions in binding properties, resolved the way the Functions host resolves them for
 * an HTTP trigger: `{headers.name}` (case-insensitive), `{query.name}`, route parameters `{room}`,
 * `{rand-guid}`, `{DateTime}`, and `%AppSetting%`.
 */
import { randomUUID } from 'node:crypto';

export interface BindingData {
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: URLSearchParams;
  readonly params?: Readonly<Record<string, string>>;
  readonly env?: NodeJS.ProcessEnv;
}

/** The host fails the invocation when an expression names something the trigger did not provide. */
export class MissingBindingDataError extends Error {
  constructor(
    readonly expression: string,
    readonly property: string,
  ) {
    // The host's wording (azure-webjobs-sdk BindingDataPathHelper).
    super(`Error while accessing '${property}': property doesn't exist.`);
  }
}

export function resolveBindingExpression(template: string, data: BindingData): string {
  return withAppSettings(template, data).replace(EXPRESSION, (_whole, expression: string) =>
    resolveOne(expression.trim(), data),
  );
}

const EXPRESSION = /\{([^{}]+)\}/g;

/** `%AppSetting%` first: like the host, which resolves settings when it indexes the function. */
function withAppSettings(template: string, data: BindingData): string {
  const env = data.env ?? process.env;
  return template.replace(/%([^%]+)%/g, (_whole, name: string) => {
    const value = env[name];
    if (value === undefined)
      throw new Error(`App setting '${name}' named in binding expression "${template}" is not set`);
    return value;
  });
}

/** Thrown for a value that would change a table filter's meaning, in the extension's words. */
export class InvalidFilterValueError extends Error {
  constructor(readonly parameter: string) {
    super(`An invalid parameter value was specified for filter parameter '${parameter}'.`);
  }
}

/** The OData literals a value outside quotes may be: true/false, or a decimal number. */
const NON_STRING_LITERAL = /^\s*(?:true|false|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$/i;

/**
 * A table input's `filter` with its expressions resolved as the Tables extension's
 * TableFilterFormatter does (Microsoft.Azure.WebJobs.Extensions.Tables): a filter that is one
 * expression (`{filter}`) is taken as it is; otherwise an expression whose every occurrence is a
 * string literal (`'{query.pk}'`, also `datetime'{d}'`/`guid'{id}'`) has its single quotes
 * doubled, and any other must be true, false or a number, else the invocation fails. So request
 * data stays a value: `pk=alice' or PartitionKey ne 'x` is one (non-existent) partition key.
 */
export function resolveTableFilter(template: string, data: BindingData): string {
  const filter = withAppSettings(template, data);
  const occurrences = [...filter.matchAll(EXPRESSION)];
  if (occurrences.length === 0) return filter;
  if (occurrences.length === 1 && occurrences[0][0] === filter) return resolveOne(occurrences[0][1].trim(), data);
  const quoted = new Map<string, boolean>();
  for (const match of occurrences) {
    const key = match[1].trim().toLowerCase();
    const start = match.index;
    const end = start + match[0].length;
    const isLiteral = filter[start - 1] === "'" && filter[end] === "'";
    quoted.set(key, (quoted.get(key) ?? true) && isLiteral);
  }
  const values = new Map<string, string>();
  return filter.replace(EXPRESSION, (_whole, raw: string) => {
    const expression = raw.trim();
    const key = expression.toLowerCase();
    let value = values.get(key);
    if (value === undefined) {
      const resolved = resolveOne(expression, data);
      if (quoted.get(key)) value = resolved.replace(/'/g, "''");
      else if (NON_STRING_LITERAL.test(resolved)) value = resolved;
      else throw new InvalidFilterValueError(expression);
      values.set(key, value);
    }
    return value;
  });
}

function resolveOne(expression: string, data: BindingData): string {
  const lower = expression.toLowerCase();
  if (lower === 'rand-guid' || lower === 'sys.randguid') return randomUUID();
  if (lower === 'datetime' || lower === 'sys.utcnow') return new Date().toISOString();
  const dot = expression.indexOf('.');
  if (dot > 0) {
    const source = lower.slice(0, dot);
    const name = expression.slice(dot + 1);
    if (source === 'headers') {
      const wanted = name.toLowerCase();
      for (const [key, value] of Object.entries(data.headers ?? {})) {
        if (key.toLowerCase() === wanted) return value;
      }
      throw new MissingBindingDataError(expression, name);
    }
    if (source === 'query') {
      const value = data.query?.get(name);
      if (value === null || value === undefined) throw new MissingBindingDataError(expression, name);
      return value;
    }
  }
  for (const [key, value] of Object.entries(data.params ?? {})) {
    if (key.toLowerCase() === lower) return value;
  }
  throw new MissingBindingDataError(expression, expression);
}
