/**
 * Who is calling: only the platform principal (App Service / Static Web Apps authentication, or
 * the local host's emulation of it). Nothing in a request body or query is trusted for identity.
 */
import type { HttpRequest } from '@azure/functions';

export interface Principal {
  readonly id: string;
  readonly name: string;
}

export function principalOf(request: HttpRequest): Principal | null {
  let user: HttpRequest['user'];
  try {
    user = request.user;
  } catch {
    // The library throws when the principal headers are incomplete: treat that as signed out.
    return null;
  }
  if (!user?.id) return null;
  return { id: user.id, name: displayName(user.username, user.id) };
}

function displayName(username: string | undefined, id: string): string {
  const name = (username ?? '').trim();
  return name === '' ? id : name.slice(0, 64);
}
