/**
 * Who is connected to which hub, and which users and connections are in which groups.
 * User-to-group membership outlives connections (it applies to the user's later connections too)
 * and may expire (`ttl`); connection-to-group membership ends with the connection.
 */
import type { Outbound } from './protocol/hub-protocol';

/**
 * What the registry needs of a connection. The group fields are the registry's bookkeeping, kept
 * on the member itself rather than in an object per connection; nothing else touches them.
 */
export interface Member {
  readonly connectionId: string;
  readonly userId?: string;
  send(message: Outbound): void;
  close(reason: string | undefined, allowReconnect: boolean): void;
  /** Groups the connection itself was added to (not through its user); made on first use. */
  directGroups?: Set<string>;
  /** All groups it is in, direct or through its user; made on first use (most are in none). */
  groups?: Set<string>;
}

type MemberState = Member;

export class Hub {
  private readonly connections = new Map<string, MemberState>();
  /** A user's one connection, or a Set when it has several (most users have one: no Set each). */
  private readonly users = new Map<string, MemberState | Set<MemberState>>();
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
    const state: MemberState = member;
    this.connections.set(member.connectionId, state);
    if (member.userId === undefined) return;
    const others = this.users.get(member.userId);
    if (!others) this.users.set(member.userId, state);
    else if (others instanceof Set) others.add(state);
    else this.users.set(member.userId, new Set([others, state]));
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
    // The member might be added again (a test's fake, say): it must start in no group.
    state.groups = state.directGroups = undefined;
    const userId = state.userId;
    if (userId === undefined) return;
    const others = this.users.get(userId);
    if (others === state) this.users.delete(userId);
    else if (others instanceof Set) {
      others.delete(state);
      if (others.size === 0) this.users.delete(userId);
    }
  }

  connection(connectionId: string): Member | undefined {
    return this.connections.get(connectionId);
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
    return select(this.userStates(userId), excluded);
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
    for (const state of this.userStates(userId)) this.join(state, group);
  }

  removeUserFromGroup(userId: string, group: string): void {
    const memberships = this.userGroups.get(userId);
    memberships?.delete(group);
    if (memberships?.size === 0) this.userGroups.delete(userId);
    for (const state of this.userStates(userId)) {
      if (!state.directGroups?.has(group)) this.leave(state, group);
    }
  }

  removeUserFromAllGroups(userId: string): void {
    const groups = new Set(this.userGroups.get(userId)?.keys() ?? []);
    for (const state of this.userStates(userId)) for (const g of state.groups ?? []) groups.add(g);
    this.userGroups.delete(userId);
    for (const state of this.userStates(userId)) {
      for (const group of groups) this.leave(state, group);
      state.directGroups?.clear();
    }
  }

  isUserInGroup(userId: string, group: string): boolean {
    const expiry = this.userGroups.get(userId)?.get(group);
    if (expiry !== undefined && expiry > this.now()) return true;
    for (const state of this.userStates(userId)) if (state.groups?.has(group)) return true;
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

  private userStates(userId: string): Iterable<MemberState> {
    const states = this.users.get(userId);
    if (!states) return [];
    return states instanceof Set ? states : [states];
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
  if (!excluded || excluded.size === 0) {
    // The usual case: no look-up of each member's id, whose string is one more memory read each.
    for (const state of states) result.push(state);
    return result;
  }
  for (const state of states) {
    if (excluded.has(state.connectionId)) continue;
    result.push(state);
  }
  return result;
}
