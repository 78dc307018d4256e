/**
 * Who is connected to which hub, and which users and connections are in which groups.
 * User-to-group membership outlives connections (it applies to the user's later connections too)
 * and may expire (`ttl`); connection-to-group membership ends with the connection.
 */
import type { Outbound } from './hub-protocol';

/** What the registry needs of a connection. */
export interface Member {
  readonly connectionId: string;
  readonly userId?: string;
  send(message: Outbound): void;
  close(reason: string | undefined, allowReconnect: boolean): void;
}

interface MemberState {
  readonly member: Member;
  /** Groups the connection itself was added to (not through its user); made on first use. */
  directGroups?: Set<string>;
  /** All groups it is in, direct or through its user; made on first use (most are in none). */
  groups?: Set<string>;
}

export class Hub {
  private readonly connections = new Map<string, MemberState>();
  private readonly users = new Map<string, Set<MemberState>>();
  private readonly groups = new Map<string, Set<MemberState>>();
  /** userId → group → expiry (ms since epoch; Infinity = no ttl). */
  private readonly userGroups = new Map<string, Map<string, number>>();

  constructor(
    readonly name: string,
    private readonly now: () => number = Date.now,
  ) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  add(member: Member): void {
    const state: MemberState = { member };
    this.connections.set(member.connectionId, state);
    if (member.userId === undefined) return;
    addTo(this.users, member.userId, state);
    const memberships = this.userGroups.get(member.userId);
    if (!memberships) return;
    const now = this.now();
    for (const [group, expiry] of memberships) if (expiry > now) this.join(state, group);
  }

  remove(connectionId: string): void {
    const state = this.connections.get(connectionId);
    if (!state) return;
    this.connections.delete(connectionId);
    for (const group of state.groups ?? []) removeFrom(this.groups, group, state);
    if (state.member.userId !== undefined) removeFrom(this.users, state.member.userId, state);
  }

  connection(connectionId: string): Member | undefined {
    return this.connections.get(connectionId)?.member;
  }

  hasConnection(connectionId: string): boolean {
    return this.connections.has(connectionId);
  }

  hasUser(userId: string): boolean {
    return this.users.has(userId);
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  all(excluded?: ReadonlySet<string>): Member[] {
    return select(this.connections.values(), excluded);
  }

  userConnections(userId: string, excluded?: ReadonlySet<string>): Member[] {
    return select(this.users.get(userId)?.values() ?? [], excluded);
  }

  groupConnections(group: string, excluded?: ReadonlySet<string>): Member[] {
    return select(this.groups.get(group)?.values() ?? [], excluded);
  }

  /** False when the connection does not exist. */
  addConnectionToGroup(connectionId: string, group: string): boolean {
    const state = this.connections.get(connectionId);
    if (!state) return false;
    (state.directGroups ??= new Set()).add(group);
    this.join(state, group);
    return true;
  }

  /** False when the connection does not exist. */
  removeConnectionFromGroup(connectionId: string, group: string): boolean {
    const state = this.connections.get(connectionId);
    if (!state) return false;
    state.directGroups?.delete(group);
    this.leave(state, group);
    return true;
  }

  removeConnectionFromAllGroups(connectionId: string): boolean {
    const state = this.connections.get(connectionId);
    if (!state) return false;
    for (const group of [...(state.groups ?? [])]) this.leave(state, group);
    state.directGroups?.clear();
    return true;
  }

  /** `ttlSeconds` undefined = forever. */
  addUserToGroup(userId: string, group: string, ttlSeconds?: number): void {
    let memberships = this.userGroups.get(userId);
    if (!memberships) this.userGroups.set(userId, (memberships = new Map<string, number>()));
    memberships.set(group, ttlSeconds === undefined ? Infinity : this.now() + ttlSeconds * 1000);
    for (const state of this.users.get(userId) ?? []) this.join(state, group);
  }

  removeUserFromGroup(userId: string, group: string): void {
    const memberships = this.userGroups.get(userId);
    memberships?.delete(group);
    if (memberships?.size === 0) this.userGroups.delete(userId);
    for (const state of this.users.get(userId) ?? []) {
      if (!state.directGroups?.has(group)) this.leave(state, group);
    }
  }

  removeUserFromAllGroups(userId: string): void {
    const groups = new Set(this.userGroups.get(userId)?.keys() ?? []);
    for (const state of this.users.get(userId) ?? []) for (const g of state.groups ?? []) groups.add(g);
    this.userGroups.delete(userId);
    for (const state of this.users.get(userId) ?? []) {
      for (const group of groups) this.leave(state, group);
      state.directGroups?.clear();
    }
  }

  isUserInGroup(userId: string, group: string): boolean {
    const expiry = this.userGroups.get(userId)?.get(group);
    if (expiry !== undefined && expiry > this.now()) return true;
    for (const state of this.users.get(userId) ?? []) if (state.groups?.has(group)) return true;
    return false;
  }

  /** Drops user-group memberships whose ttl has passed; called by the server's tick. */
  expireMemberships(): void {
    const now = this.now();
    for (const [userId, memberships] of this.userGroups) {
      for (const [group, expiry] of memberships) {
        if (expiry <= now) this.removeUserFromGroup(userId, group);
      }
    }
  }

  private join(state: MemberState, group: string): void {
    (state.groups ??= new Set()).add(group);
    addTo(this.groups, group, state);
  }

  private leave(state: MemberState, group: string): void {
    state.groups?.delete(group);
    removeFrom(this.groups, group, state);
  }
}

/** Hubs by case-insensitive name, created on first use. */
export class HubRegistry {
  private readonly hubs = new Map<string, Hub>();

  constructor(private readonly now: () => number = Date.now) {}

  get(name: string): Hub {
    const key = name.toLowerCase();
    let hub = this.hubs.get(key);
    if (!hub) this.hubs.set(key, (hub = new Hub(key, this.now)));
    return hub;
  }

  find(name: string): Hub | undefined {
    return this.hubs.get(name.toLowerCase());
  }

  values(): IterableIterator<Hub> {
    return this.hubs.values();
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

function select(states: Iterable<MemberState>, excluded?: ReadonlySet<string>): Member[] {
  const result: Member[] = [];
  for (const state of states) {
    if (excluded?.has(state.member.connectionId)) continue;
    result.push(state.member);
  }
  return result;
}
