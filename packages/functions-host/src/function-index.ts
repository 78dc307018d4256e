/**
 * What the loaded app registered, checked against the bindings this host implements, and indexed
 * for dispatch: HTTP routes (most specific first) and SignalR trigger keys (hub, category, event).
 */
import type { TriggerTarget } from './bindings/binding';
import { BINDINGS, bindingType } from './bindings/registry';
import { signalRTriggerKey } from './bindings/signalr-trigger';
import { type CompiledRoute, compileRoute } from './routes';
import type { RegisteredFunction } from './worker/core-api';
import type { RpcBindingInfo } from './worker/core-types';

export interface BindingSummary {
  readonly name: string;
  readonly type: string;
  readonly direction: string;
  /** The binding's other properties (hubName, route, userId, …) as registered. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface RegisteredFunctionInfo {
  readonly name: string;
  /** The trigger binding type as registered, e.g. `httpTrigger`, `signalRTrigger`. */
  readonly triggerType: string;
  /** HTTP: the route template below the prefix, e.g. `rooms/{room}/messages`. */
  readonly route?: string;
  /** HTTP: the full path template, e.g. `/api/rooms/{room}/messages`. */
  readonly path?: string;
  /** HTTP: upper-case methods; undefined means every method. */
  readonly methods?: readonly string[];
  readonly authLevel?: string;
  /** signalRTrigger: what the function is dispatched for. */
  readonly signalR?: { readonly hubName: string; readonly category: string; readonly event: string };
  readonly bindings: readonly BindingSummary[];
}

export interface HttpFunction {
  readonly fn: RegisteredFunction;
  readonly info: RegisteredFunctionInfo;
  readonly triggerName: string;
  readonly route: CompiledRoute;
  readonly methods?: ReadonlySet<string>;
}

export interface SignalRTriggerFunction extends TriggerTarget {
  readonly info: RegisteredFunctionInfo;
}

export interface FunctionIndex {
  readonly infos: readonly RegisteredFunctionInfo[];
  readonly http: readonly HttpFunction[];
  /** Keyed by `hub\ncategory\nevent`, lower-cased: the extension matches them ignoring case. */
  readonly signalRTriggers: ReadonlyMap<string, SignalRTriggerFunction>;
}

/** The binding types this host implements (bindings/registry.ts), as the startup error lists them. */
const SUPPORTED_NAMES = BINDINGS.map((b) => b.name).join(', ');

export function buildFunctionIndex(functions: Iterable<RegisteredFunction>, routePrefix: string): FunctionIndex {
  const infos: RegisteredFunctionInfo[] = [];
  const http: HttpFunction[] = [];
  const signalRTriggers = new Map<string, SignalRTriggerFunction>();
  const problems: string[] = [];

  for (const fn of functions) {
    const entries = Object.entries(fn.bindings);
    const triggers = entries.filter(([, b]) => /trigger$/i.test(String(b.type ?? '')));
    if (triggers.length !== 1) {
      problems.push(`Function "${fn.name}" must have exactly one trigger (has ${triggers.length})`);
      continue;
    }
    const [triggerName, trigger] = triggers[0];
    for (const [name, binding] of entries) {
      const type = String(binding.type ?? '');
      const kind = binding === trigger ? 'trigger' : binding.direction === 'out' ? 'out' : 'in';
      if (!bindingType(type)?.directions.includes(kind)) {
        problems.push(
          `Function "${fn.name}": binding "${name}" of type "${type}" (${kind === 'trigger' ? 'trigger' : `direction ${kind}`}) ` +
            `is not supported by the local Functions host (supported: ${SUPPORTED_NAMES})`,
        );
      }
    }
    const bindings = entries.map(([name, b]) => summarize(name, b));
    const triggerType = String(trigger.type);

    if (triggerType.toLowerCase() === 'httptrigger') {
      const routeTemplate =
        typeof trigger['route'] === 'string' && trigger['route'] !== '' ? trigger['route'] : fn.name;
      const rawMethods = Array.isArray(trigger['methods'])
        ? (trigger['methods'] as unknown[]).map((m) => String(m).toUpperCase())
        : undefined;
      let route: CompiledRoute;
      try {
        route = compileRoute(routeTemplate);
      } catch (err) {
        problems.push(`Function "${fn.name}": ${(err as Error).message}`);
        continue;
      }
      const path = `/${[routePrefix, route.template].filter((s) => s !== '').join('/')}`;
      const info: RegisteredFunctionInfo = {
        name: fn.name,
        triggerType,
        route: route.template,
        path,
        methods: rawMethods,
        authLevel: typeof trigger['authLevel'] === 'string' ? trigger['authLevel'] : undefined,
        bindings,
      };
      infos.push(info);
      http.push({ fn, info, triggerName, route, methods: rawMethods ? new Set(rawMethods) : undefined });
      continue;
    }

    if (triggerType.toLowerCase() === 'signalrtrigger') {
      const hubName = stringProp(trigger, 'hubName');
      const category = stringProp(trigger, 'category').toLowerCase();
      const event = stringProp(trigger, 'event');
      if (!hubName || !category || !event) {
        problems.push(`Function "${fn.name}": signalRTrigger needs hubName, category and event`);
        continue;
      }
      if (category !== 'connections' && category !== 'messages') {
        problems.push(
          `Function "${fn.name}": signalRTrigger category "${category}" is not supported (connections or messages)`,
        );
        continue;
      }
      if (category === 'connections' && !['connected', 'disconnected'].includes(event.toLowerCase())) {
        problems.push(
          `Function "${fn.name}": Event ${event} is not supported in connections (connected or disconnected)`,
        );
        continue;
      }
      const key = signalRTriggerKey(hubName, category, event);
      if (signalRTriggers.has(key)) {
        problems.push(
          `Function "${fn.name}": Duplicated key parameter hub: ${hubName}, category: ${category}, event: ${event}`,
        );
        continue;
      }
      const info: RegisteredFunctionInfo = {
        name: fn.name,
        triggerType,
        signalR: { hubName, category, event },
        bindings,
      };
      infos.push(info);
      signalRTriggers.set(key, { fn, info, triggerName, trigger });
      continue;
    }
    infos.push({ name: fn.name, triggerType, bindings });
  }

  if (problems.length > 0) {
    throw new Error(`The Functions app cannot be hosted locally:\n  - ${problems.join('\n  - ')}`);
  }
  // Most specific first, so `rooms/new` wins over `rooms/{room}` whatever the registration order.
  http.sort((a, b) => b.route.rank - a.route.rank);
  infos.sort((a, b) => a.name.localeCompare(b.name));
  return { infos, http, signalRTriggers };
}

function summarize(name: string, binding: RpcBindingInfo): BindingSummary {
  const { type, direction, properties: _sdkFlags, ...rest } = binding;
  return { name, type: String(type ?? ''), direction: String(direction ?? ''), properties: rest };
}

function stringProp(binding: Readonly<Record<string, unknown>>, key: string): string {
  const value = binding[key];
  return typeof value === 'string' ? value.trim() : '';
}
