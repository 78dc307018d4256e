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
  const env = data.env ?? process.env;
  const withSettings = template.replace(/%([^%]+)%/g, (whole, name: string) => {
    const value = env[name];
    if (value === undefined)
      throw new Error(`App setting '${name}' named in binding expression "${template}" is not set`);
    return value;
  });
  return withSettings.replace(/\{([^{}]+)\}/g, (_whole, expression: string) => resolveOne(expression.trim(), data));
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
