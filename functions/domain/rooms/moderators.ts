/** Who moderates `general` (other rooms: their creator, see rooms-store.ts moderates). */
import { MODERATORS_SETTING } from '../../../contract';

/** The people named in the moderators app setting (user ids, comma-separated). */
export function moderators(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  return new Set(
    (env[MODERATORS_SETTING] ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
}
