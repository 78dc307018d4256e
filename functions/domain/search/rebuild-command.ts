/**
 * `npm run search:rebuild -- <room> [<room> …]`: deletes each room's search index and builds it
 * again from the room's log (docs/search.md, "Rebuilding"). Storage is the one the app uses: the
 * `HUBBUB_STORAGE_CONNECTION_STRING` environment variable, else local.settings.json's value (Azurite).
 */
import { existsSync, readFileSync } from 'node:fs';

import { ROOM_NAME_PATTERN } from '../../../contract';
import { STORAGE_SETTING } from '../../platform/storage/tables';
import { rebuildIndex } from './search-index';

async function main(rooms: readonly string[]): Promise<number> {
  if (rooms.length === 0 || rooms.some((room) => !ROOM_NAME_PATTERN.test(room))) {
    process.stderr.write(
      'usage: npm run search:rebuild -- <room> [<room> …] (room names as in the app: a-z, 0-9, "-")\n',
    );
    return 2;
  }
  if (!process.env[STORAGE_SETTING] && existsSync('local.settings.json')) {
    const settings = JSON.parse(readFileSync('local.settings.json', 'utf8')) as { Values?: Record<string, string> };
    const value = settings.Values?.[STORAGE_SETTING];
    if (value) process.env[STORAGE_SETTING] = value;
  }
  for (const room of rooms) {
    const started = performance.now();
    const { messages, rows } = await rebuildIndex(room);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`${room}: ${messages} messages indexed, ${rows} rows written, in ${seconds} s\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`search:rebuild failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
