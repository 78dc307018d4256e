import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import { Store } from '@ngrx/store';

import {
  GENERAL_ROOM,
  MAX_GROUP_DM_PEOPLE,
  type PresenceState,
  type Room,
  type User,
  type UserRef,
} from '../../../contract';
import { sessionFeature } from '../auth/session.feature';
import { Avatar } from '../people/avatar';
import { PresenceDot } from '../people/presence-dot';
import { PROFILE_HOST } from '../people/profile-opener';
import { presenceOf, usersFeature } from '../people/users.feature';
import { membersPanelFeature } from './members-panel.feature';
import { MembersPanelState } from './members-panel-state';
import { type AssignableRole, MembersPanelActions, type RoomMember } from './room-admin.actions';
import { RoomSettings } from './room-settings';

const ROLE_ORDER = { owner: 0, admin: 1, member: 2 } as const;

/**
 * A room's people (names, presence, roles) and, where the viewer's role allows, adding, removing,
 * banning and roles; for owner and admins, the room's settings too. In a DM or group conversation:
 * its people, and adding someone starts a new group conversation. A lazy chunk (conversation.ts
 * loads it): it brings its own state and effects.
 */
@Component({
  selector: 'hb-members-panel',
  imports: [Avatar, PresenceDot, RoomSettings],
  templateUrl: './members-panel.html',
  styleUrl: './members-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MembersPanel {
  private readonly store = inject(Store);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  readonly room = input.required<Room>();
  readonly closed = output<void>();

  private readonly me = this.store.selectSignal(sessionFeature.selectUser);
  protected readonly people = this.store.selectSignal(usersFeature.selectEntities);
  private readonly profiles = inject(PROFILE_HOST, { optional: true });
  private readonly state = this.store.selectSignal(membersPanelFeature.selectMembersPanelState);
  private readonly roomName = computed(() => this.room().name);

  /** Owner and admins (and workspace admins) remove, ban, give roles and see the bans. */
  protected readonly manage = computed(() => {
    const room = this.room();
    return room.name !== GENERAL_ROOM && (room.role === 'owner' || room.role === 'admin' || room.moderator === true);
  });
  /** A DM or group conversation: adding someone starts a new group conversation. */
  protected readonly conversation = computed(() => this.room().kind === 'dm');
  /** A private room whose owner lets only owner and admins add people, and the viewer is neither. */
  protected readonly addRestricted = computed(() => {
    const room = this.room();
    return room.private === true && room.membersMayAdd === false && !this.manage();
  });
  /** A group conversation of the most people it can hold. */
  protected readonly full = computed(
    () => this.conversation() && this.loaded() && this.members().length >= MAX_GROUP_DM_PEOPLE,
  );
  protected readonly maxPeople = MAX_GROUP_DM_PEOPLE;
  /** Anyone in the room may add people, unless the owner restricts it; nobody in general. */
  protected readonly mayAdd = computed(
    () =>
      this.manage() ||
      (this.room().joined && this.room().name !== GENERAL_ROOM && !this.addRestricted() && !this.full()),
  );
  protected readonly loaded = computed(() => this.state().room === this.room().name && this.state().loaded);
  protected readonly members = computed(() =>
    Object.values(this.state().members).sort(
      (a, b) =>
        ROLE_ORDER[a.role ?? 'member'] - ROLE_ORDER[b.role ?? 'member'] ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id),
    ),
  );
  protected readonly bans = computed(() => this.state().bans ?? []);
  protected readonly query = computed(() => this.state().query);
  /** People found who are not in the room yet. */
  protected readonly candidates = computed(() => {
    const members = this.state().members;
    return this.state().found.filter((person) => !(person.id in members));
  });
  protected readonly errors = computed(() => this.state().errors);
  protected readonly saved = computed(() => this.state().saved);
  protected readonly pending = computed(() => new Set(this.state().pending));
  /** The people, or (owner and admins) the room's settings. */
  protected readonly view = signal<'members' | 'settings'>('members');
  /** A removal or ban waiting for its confirmation. */
  protected readonly confirming = signal<{ readonly id: string; readonly ban: boolean } | null>(null);

  constructor() {
    inject(MembersPanelState);
    effect(() => {
      const room = this.roomName();
      const manage = this.manage();
      untracked(() => {
        this.confirming.set(null);
        if (!manage) this.view.set('members');
        this.store.dispatch(MembersPanelActions.opened({ room, manage }));
      });
    });
  }

  protected showView(view: 'members' | 'settings'): void {
    this.view.set(view);
    this.focusLater(`[data-testid="${view === 'settings' ? 'show-members' : 'show-settings'}"]`);
  }

  /** A member's current name (a rename shows at once), else the one the room listed. */
  protected nameOf(member: UserRef): string {
    return this.people()[member.id]?.name ?? member.name;
  }

  protected showProfile(userId: string, anchor: HTMLElement): void {
    this.profiles?.showCard(userId, anchor);
  }

  protected presence(id: string): PresenceState {
    const person = this.people()[id];
    if (person) return presenceOf(person);
    return id === this.me()?.id ? 'active' : 'offline';
  }

  /** Whether the viewer may remove, ban or change the role of this person: never the owner, nor themselves. */
  protected mayChange(member: RoomMember): boolean {
    return this.manage() && member.role !== 'owner' && member.id !== this.me()?.id;
  }

  protected search(event: Event): void {
    const query = (event.target as HTMLInputElement).value;
    this.store.dispatch(MembersPanelActions.peopleSearched({ room: this.room().name, query }));
  }

  protected add(person: User): void {
    this.store.dispatch(MembersPanelActions.addClicked({ room: this.room().name, user: ref(person) }));
  }

  protected confirm(member: RoomMember, ban: boolean): void {
    this.confirming.set({ id: member.id, ban });
    this.focusLater(`[data-testid="confirm-remove"]`);
  }

  protected cancelConfirm(member: RoomMember): void {
    const ban = this.confirming()?.ban === true;
    this.confirming.set(null);
    afterNextRender(
      () => {
        const row = [...this.host.nativeElement.querySelectorAll<HTMLElement>('[data-testid="member"]')].find(
          (element) => element.dataset['userId'] === member.id,
        );
        row?.querySelector<HTMLElement>(`[data-testid="${ban ? 'ban' : 'remove'}-member"]`)?.focus();
      },
      { injector: this.injector },
    );
  }

  protected remove(member: RoomMember, ban: boolean): void {
    this.confirming.set(null);
    this.store.dispatch(MembersPanelActions.removeConfirmed({ room: this.room().name, user: ref(member), ban }));
  }

  protected setRole(member: RoomMember, role: AssignableRole): void {
    this.store.dispatch(MembersPanelActions.roleChosen({ room: this.room().name, user: ref(member), role }));
  }

  protected unban(person: UserRef): void {
    this.store.dispatch(MembersPanelActions.unbanClicked({ room: this.room().name, user: ref(person) }));
  }

  private focusLater(selector: string): void {
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>(selector)?.focus(), {
      injector: this.injector,
    });
  }
}

function ref({ id, name }: UserRef): UserRef {
  return { id, name };
}
