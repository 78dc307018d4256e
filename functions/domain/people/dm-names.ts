/** Names of direct-message rooms: people's business, so rooms and blocks both read them from here. */
import { createHash } from 'node:crypto';

import { DM_PREFIX } from '../../../contract';

/**
 * The DM room of two people, or the group conversation of more: the same name whoever of them asks
 * and in whatever order, and no room name can collide (a hash of the sorted ids).
 */
export function dmRoomName(...ids: string[]): string {
  const sorted = [...new Set(ids)].sort();
  return `${DM_PREFIX}${createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 32)}`;
}
