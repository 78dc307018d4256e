/**
 * Azure SignalR Service connection strings, parsed the way the service SDK parses them
 * (keys case-insensitive, each pair split on its first `=`, `Port` replacing the endpoint's port).
 * Building one is the emulator's half (`@hubbub/signalr-emulator` prints it); each package holds
 * only the half it uses, so each installs on its own.
 */

export interface SignalRConnection {
  /** Endpoint with `Port` applied and no trailing slash, e.g. `http://localhost:8888`. */
  readonly endpoint: string;
  /** HMAC secret; used as the UTF-8 bytes of the string as written. */
  readonly accessKey: string;
  readonly version?: string;
  /** Where clients are sent (defaults to `endpoint`). */
  readonly clientEndpoint: string;
  /** Where REST calls go (defaults to `endpoint`). */
  readonly serverEndpoint: string;
}

const VERSION_PATTERN = /^1\.\d+(?:[\w\-.]+)?$/;

export function parseConnectionString(value: string): SignalRConnection {
  const props = new Map<string, string>();
  for (const segment of value.split(';')) {
    if (segment.trim() === '') continue;
    const eq = segment.indexOf('=');
    if (eq <= 0) throw new Error(`Connection string segment "${redactSegment(segment)}" is not key=value`);
    const key = segment.slice(0, eq).trim().toLowerCase();
    if (props.has(key)) throw new Error(`Connection string has "${key}" twice`);
    props.set(key, segment.slice(eq + 1).trim());
  }
  const rawEndpoint = props.get('endpoint');
  if (!rawEndpoint) throw new Error('Connection string is missing Endpoint');
  const endpointUrl = absoluteHttpUrl(rawEndpoint, 'Endpoint');
  const port = props.get('port');
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`Connection string Port "${port}" is not 1-65535`);
    endpointUrl.port = String(n);
  }
  const accessKey = props.get('accesskey');
  if (!accessKey) throw new Error('Connection string is missing AccessKey');
  const version = props.get('version');
  if (version !== undefined && !VERSION_PATTERN.test(version)) {
    throw new Error(`Connection string Version "${version}" is not supported (expected 1.x)`);
  }
  const endpoint = trimSlash(endpointUrl.toString());
  const client = props.get('clientendpoint');
  const server = props.get('serverendpoint');
  return {
    endpoint,
    accessKey,
    version,
    clientEndpoint: client ? trimSlash(absoluteHttpUrl(client, 'ClientEndpoint').toString()) : endpoint,
    serverEndpoint: server ? trimSlash(absoluteHttpUrl(server, 'ServerEndpoint').toString()) : endpoint,
  };
}

/**
 * `{scheme}://{host}/` without the port: the SDK builds token audiences from this, so a token
 * minted for `http://localhost:8888` carries `aud` `http://localhost/...`.
 */
export function audienceBase(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.protocol}//${url.hostname}/`;
}

/** The client URL negotiate returns: `{clientEndpoint}/client/?hub={hub}` with the hub lower-cased. */
export function clientUrl(connection: SignalRConnection, hub: string): string {
  return `${connection.clientEndpoint}/client/?hub=${encodeURIComponent(hub.toLowerCase())}`;
}

function absoluteHttpUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Connection string ${name} "${value}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Connection string ${name} must be http or https`);
  }
  return url;
}

function trimSlash(value: string): string {
  return value.endsWith('/') ? value.slice(0, -1) : value;
}

function redactSegment(segment: string): string {
  return segment.length > 12 ? `${segment.slice(0, 12)}…` : segment;
}
