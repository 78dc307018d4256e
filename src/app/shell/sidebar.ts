import {
  ChangeDetectionStrategy,
  Component,
  type ComponentRef,
  computed,
  effect,
  ElementRef,
  inject,
  output,
  untracked,
  viewChild,
  ViewContainerRef,
} from '@angular/core';
import { Store } from '@ngrx/store';

import { MAX_GROUP_DM_PEOPLE, type UserRef } from '../../../contract';
import { chatSelectors } from '../messages/chat.selectors';
import { ChatPageActions } from '../messages/chat-page.actions';
import { SettingsLauncher } from '../notification-settings/settings-launcher';
import { blocksFeature } from '../people/blocks.feature';
import type { NewGroupDialog } from '../people/new-group-dialog';
import { PeopleListActions } from '../people/people.actions';
import { UserList } from '../people/user-list';
import { usersFeature } from '../people/users.feature';
import { readStateFeature } from '../read-state/read-state.feature';
import { selectDirectMessageViews } from '../rooms/direct-message-views';
import { RoomsSidebarActions } from '../rooms/rooms.actions';
import { roomsFeature } from '../rooms/rooms.feature';
import { RoomSidebar } from './room-sidebar';

/**
 * The rooms, direct messages and people; choosing where to go closes the panel on narrow screens.
 * "New group" opens its dialog, a lazy chunk (new-group-dialog.ts).
 */
@Component({
  selector: 'hb-sidebar',
  imports: [RoomSidebar, UserList],
  template: `
    <hb-room-sidebar
      [rooms]="rooms()"
      [directMessages]="directMessages()"
      [otherRooms]="otherRooms()"
      [archivedRooms]="archivedRooms()"
      [activeRoom]="room()"
      [unread]="unread()"
      [error]="roomError()"
      (selectRoom)="openRoom($event)"
      (joinRoom)="joinRoom($event)"
      (createRoom)="createRoom($event)"
      (notificationSettings)="openNotificationSettings($event)"
    />
    <hb-user-list
      [users]="users()"
      [blockedUsers]="blockedUsers()"
      [blockError]="blockError()"
      (startDirectMessage)="startDirectMessage($event)"
      (blockUser)="blockUser($event)"
      (unblockUser)="unblockUser($event)"
      (newGroup)="newGroup()"
    />
    <ng-container #dialogHost />
  `,
  styles: `
    :host {
      display: block;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Sidebar {
  private readonly store = inject(Store);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly settings = inject(SettingsLauncher);
  private readonly dialogHost = viewChild.required('dialogHost', { read: ViewContainerRef });
  private dialog: ComponentRef<NewGroupDialog> | null = null;
  private loadingDialog = false;
  /** A room was opened here: the layout closes the panel and moves the focus to the composer. */
  readonly roomOpened = output<void>();
  /** The user is going somewhere (joining a room, starting a direct message): the panel closes. */
  readonly navigated = output<void>();

  protected readonly room = this.store.selectSignal(chatSelectors.selectActiveRoom);
  protected readonly rooms = this.store.selectSignal(roomsFeature.selectJoinedRooms);
  protected readonly directMessages = this.store.selectSignal(selectDirectMessageViews);
  protected readonly otherRooms = this.store.selectSignal(roomsFeature.selectOtherRooms);
  protected readonly archivedRooms = this.store.selectSignal(roomsFeature.selectArchivedRooms);
  protected readonly roomError = this.store.selectSignal(roomsFeature.selectError);
  protected readonly unread = this.store.selectSignal(readStateFeature.selectRoomCounts);
  protected readonly users = this.store.selectSignal(usersFeature.selectOtherUsers);
  protected readonly blockedUsers = this.store.selectSignal(blocksFeature.selectUsers);
  protected readonly blockError = this.store.selectSignal(blocksFeature.selectError);
  private readonly openingConversation = this.store.selectSignal(roomsFeature.selectOpeningDirectMessage);
  /** Whom a group conversation may be started with: everyone but the people the user blocked. */
  private readonly groupCandidates = computed(() => {
    const blocked = new Set(this.blockedUsers().map((user) => user.id));
    return this.users().filter((user) => !blocked.has(user.id));
  });

  constructor() {
    effect(() => {
      const inputs = this.dialogInputs();
      untracked(() => this.dialog && setInputs(this.dialog, inputs));
    });
  }

  private dialogInputs() {
    return {
      people: this.groupCandidates(),
      most: MAX_GROUP_DM_PEOPLE - 1,
      opening: this.openingConversation(),
      error: this.roomError(),
    };
  }

  protected openRoom(room: string): void {
    this.store.dispatch(ChatPageActions.roomSelected({ room }));
    this.roomOpened.emit();
  }

  protected joinRoom(room: string): void {
    this.store.dispatch(RoomsSidebarActions.joinClicked({ room }));
    this.navigated.emit();
  }

  protected createRoom(room: { name: string; private: boolean }): void {
    this.store.dispatch(RoomsSidebarActions.createRoomSubmitted(room));
  }

  protected openNotificationSettings(room: string): void {
    this.settings.open(room);
  }

  protected blockUser(user: UserRef): void {
    this.store.dispatch(PeopleListActions.blockClicked({ user }));
  }

  protected unblockUser(user: UserRef): void {
    this.store.dispatch(PeopleListActions.unblockClicked({ user }));
  }

  /** The dialog's code comes on first use; closing it destroys it and gives the focus back to "New group". */
  protected async newGroup(): Promise<void> {
    if (this.loadingDialog) return;
    // The button is unreachable while the dialog is open (it is modal), so a dialog still here is
    // one closing (Escape, then Enter at once: "close" fires a task later): it gives way.
    this.dialog?.destroy();
    this.dialog = null;
    this.loadingDialog = true;
    const { NewGroupDialog } = await import('../people/new-group-dialog').finally(() => (this.loadingDialog = false));
    const dialog = this.dialogHost().createComponent(NewGroupDialog);
    this.dialog = dialog;
    setInputs(dialog, this.dialogInputs());
    dialog.instance.submitted.subscribe((userIds) =>
      this.store.dispatch(PeopleListActions.groupSubmitted({ userIds })),
    );
    let started = false;
    dialog.instance.started.subscribe(() => {
      started = true;
      this.roomOpened.emit();
    });
    dialog.instance.closed.subscribe(() => {
      if (this.dialog === dialog) this.dialog = null;
      dialog.destroy();
      if (!started) this.host.nativeElement.querySelector<HTMLElement>('[data-testid="new-group"]')?.focus();
    });
  }

  protected startDirectMessage(userId: string): void {
    this.store.dispatch(PeopleListActions.directMessageClicked({ userId }));
    this.navigated.emit();
  }
}

function setInputs(ref: ComponentRef<NewGroupDialog>, inputs: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(inputs)) ref.setInput(name, value);
}
