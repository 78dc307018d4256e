import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

import { type Room, UNREAD_COUNT_CAP } from '../../../contract';
import { Avatar } from '../people/avatar';
import { PresenceDot } from '../people/presence-dot';
import type { RoomCounts } from '../read-state/read-state.feature';
import type { DirectMessageView } from '../rooms/direct-message-views';

const ROOM_NAME = /^[a-z0-9-]{1,64}$/;

/**
 * Rooms and direct messages with unread and mention counts and a bell each for their notification level (a lock on
 * private rooms); archived rooms under a heading of their own, folded; rooms you are not in yet
 * (a click joins); a new-room box with its Private switch.
 */
@Component({
  selector: 'hb-room-sidebar',
  imports: [Avatar, NgTemplateOutlet, PresenceDot],
  templateUrl: './room-sidebar.html',
  styleUrl: './room-sidebar.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomSidebar {
  readonly rooms = input.required<readonly Room[]>();
  /** With their people's current names, and the other person's face and presence (rooms/direct-message-views.ts). */
  readonly directMessages = input.required<readonly DirectMessageView[]>();
  readonly otherRooms = input.required<readonly Room[]>();
  readonly archivedRooms = input<readonly Room[]>([]);
  readonly activeRoom = input.required<string>();
  /** Per room, from the server's read state (the room on screen shows none). */
  readonly unread = input.required<Readonly<Record<string, RoomCounts>>>();
  readonly error = input<string | null>(null);
  readonly selectRoom = output<string>();
  readonly joinRoom = output<string>();
  readonly createRoom = output<{ name: string; private: boolean }>();
  /** A room's bell: its notification settings. */
  readonly notificationSettings = output<string>();

  protected readonly newName = signal('');
  protected readonly nameProblem = signal<string | null>(null);
  protected readonly newPrivate = signal(false);
  protected readonly archivedOpen = signal(false);

  /** "99+" from the cap on: the server stops counting there. */
  protected countText(count: number): string {
    return count >= UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP - 1}+` : String(count);
  }

  protected updateName(event: Event): void {
    // Room names are lower case with dashes; typing "Team Chat" gives "team-chat".
    this.newName.set((event.target as HTMLInputElement).value.toLowerCase().replace(/\s+/g, '-'));
    this.nameProblem.set(null);
  }

  protected submitRoom(): void {
    const name = this.newName().trim();
    if (!ROOM_NAME.test(name)) {
      this.nameProblem.set('Use 1-64 lower-case letters, digits and dashes');
      return;
    }
    this.createRoom.emit({ name, private: this.newPrivate() });
    this.newName.set('');
    this.newPrivate.set(false);
  }
}
