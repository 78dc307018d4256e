/**
 * The connection string the emulator prints for its apps. Parsing one is the Functions host's half
 * (`@hubbub/functions-host`); each package holds only the half it uses, so each installs on its own.
 */

/** The connection string Microsoft's emulator prints; existing local settings keep working with it. */
export const DEFAULT_EMULATOR_ACCESS_KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH';

export function buildConnectionString(endpoint: string, accessKey: string): string {
  const url = new URL(endpoint);
  const port = url.port;
  url.port = '';
  return `Endpoint=${trimSlash(url.toString())};${port ? `Port=${port};` : ''}AccessKey=${accessKey};Version=1.0;`;
}

function trimSlash(value: string): string {
  return value.endsWith('/') ? value.slice(0, -1) : value;
}
