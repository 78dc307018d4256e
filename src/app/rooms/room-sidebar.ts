import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

import type { Room } from '../../../contract';

const ROOM_NAME = /^[a-z0-9-]{1,64}$/;

/** Rooms and direct messages with unread counts; rooms you are not in yet (a click joins); a new-room box. */
@Component({
  selector: 'hb-room-sidebar',
  imports: [NgTemplateOutlet],
  templateUrl: './room-sidebar.html',
  styleUrl: './room-sidebar.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomSidebar {
  readonly rooms = input.required<readonly Room[]>();
  readonly directMessages = input.required<readonly Room[]>();
  readonly otherRooms = input.required<readonly Room[]>();
  readonly activeRoom = input.required<string>();
  readonly unread = input.required<Readonly<Record<string, number>>>();
  readonly error = input<string | null>(null);
  readonly selectRoom = output<string>();
  readonly joinRoom = output<string>();
  readonly createRoom = output<string>();

  protected readonly newName = signal('');
  protected readonly nameProblem = signal<string | null>(null);

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
    this.createRoom.emit(name);
    this.newName.set('');
  }
}
