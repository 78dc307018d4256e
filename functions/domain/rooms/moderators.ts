/**
 * The workspace's moderators and admins, from app settings (user ids, comma-separated). Who may do
 * what in a room: docs/behaviour.md, Rooms, roles and moderation; rooms-store.ts mayManage.
 */
import { MODERATORS_SETTING } from '../../../contract';

/** Workspace admins: may do what a room's owner may, in every room they can see and in `general`. */
export const ADMINS_SETTING = 'HUBBUB_ADMINS';

function idsIn(value: string | undefined): ReadonlySet<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );
}

/** The people named in the moderators app setting: they may delete any message in `general`. */
export function moderators(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  return idsIn(env[MODERATORS_SETTING]);
}

/** The people named in the workspace admins app setting. */
export function workspaceAdmins(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  return idsIn(env[ADMINS_SETTING]);
}
