/**
 * HTTP trigger route templates in the ASP.NET Core syntax the Functions host uses:
 * `rooms/{room}/messages`, `{id:int}`, `{name?}`, `{*rest}`, matched case-insensitively.
 */

export interface CompiledRoute {
  readonly template: string;
  readonly paramNames: readonly string[];
  /** Orders routes the way ASP.NET does in spirit: literal segments beat parameters, catch-alls go last. */
  readonly rank: number;
  match(path: string): Record<string, string> | undefined;
}

const CONSTRAINTS: Record<string, string> = {
  int: '-?\\d+',
  long: '-?\\d+',
  bool: '(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])',
  alpha: '[A-Za-z]+',
  guid: '[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}',
  double: '-?\\d+(?:\\.\\d+)?',
  decimal: '-?\\d+(?:\\.\\d+)?',
  float: '-?\\d+(?:\\.\\d+)?',
};

interface ParamToken {
  readonly name: string;
  readonly optional: boolean;
  readonly catchAll: boolean;
  readonly pattern: string;
}

export function compileRoute(template: string): CompiledRoute {
  const trimmed = template.replace(/^\/+|\/+$/g, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  const names: string[] = [];
  let source = '^';
  let rank = 0;
  segments.forEach((segment, index) => {
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole) {
      const param = parseParam(whole[1], template);
      names.push(param.name);
      if (param.catchAll && index !== segments.length - 1) {
        throw new Error(`Route "${template}": a catch-all parameter must be the last segment`);
      }
      const group = `(?<${groupName(names.length - 1)}>${param.catchAll ? '.*' : param.pattern})`;
      source += param.optional || param.catchAll ? `(?:/${group})?` : `/${group}`;
      rank += param.catchAll ? 0 : 1;
      return;
    }
    // A literal segment, or a complex one such as `{name}.{ext}`.
    let part = '';
    let last = 0;
    for (const m of segment.matchAll(/\{([^{}]+)\}/g)) {
      part += escapeRegex(segment.slice(last, m.index));
      const param = parseParam(m[1], template);
      names.push(param.name);
      part += `(?<${groupName(names.length - 1)}>${param.pattern === '[^/]+' ? '[^/]+?' : param.pattern})`;
      last = (m.index ?? 0) + m[0].length;
    }
    part += escapeRegex(segment.slice(last));
    source += `/${part}`;
    rank += last === 0 ? 2 : 1;
  });
  source += '/?$';
  const regex = new RegExp(source, 'i');
  const hasCatchAll = segments.some((s) => s.startsWith('{*'));
  return {
    template: trimmed,
    paramNames: names,
    rank: rank * 2 + (hasCatchAll ? 0 : 1),
    match(path: string) {
      const m = regex.exec(path === '' ? '/' : path);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        const value = m.groups?.[groupName(i)];
        if (value !== undefined && value !== '') params[name] = safeDecode(value);
      });
      return params;
    },
  };
}

function parseParam(body: string, template: string): ParamToken {
  let text = body.trim();
  const catchAll = text.startsWith('*');
  if (catchAll) text = text.replace(/^\*+/, '');
  let optional = false;
  if (text.endsWith('?')) {
    optional = true;
    text = text.slice(0, -1);
  }
  // Defaults (`{page=1}`) make the parameter optional; the default value itself is not applied.
  const eq = text.indexOf('=');
  if (eq >= 0) {
    optional = true;
    text = text.slice(0, eq);
  }
  const [name = '', ...constraints] = text.split(':');
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`Route "${template}": bad parameter "{${body}}"`);
  let pattern = '[^/]+';
  for (const constraint of constraints) {
    const regexConstraint = /^regex\((.*)\)$/.exec(constraint);
    if (regexConstraint) pattern = `(?:${regexConstraint[1].replace(/^\^|\$$/g, '')})`;
    else if (CONSTRAINTS[constraint.toLowerCase()]) pattern = CONSTRAINTS[constraint.toLowerCase()];
  }
  return { name, optional, catchAll, pattern };
}

function groupName(index: number): string {
  return `p${index}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
