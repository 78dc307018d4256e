import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Store } from '@ngrx/store';

import { MAX_NAME_LENGTH, MAX_TOPIC_LENGTH, type Room, type UpdateRoomRequest } from '../../../contract';
import { MembersPanelActions } from './room-admin.actions';

/**
 * A room's title, topic and archive state, for its owner and admins; in a private room, for its
 * owner, whether members may add people. What was typed stays in the form until the server has it:
 * a refusal is shown under the form and nothing is lost.
 */
@Component({
  selector: 'hb-room-settings',
  template: `
    <form class="settings" data-testid="room-settings" (submit)="$event.preventDefault(); save()">
      <label for="room-title-input">Title</label>
      <input
        id="room-title-input"
        data-testid="room-title-input"
        autocomplete="off"
        [maxLength]="maxTitle"
        [value]="title()"
        (input)="title.set($any($event.target).value)"
      />
      <label for="room-topic-input">Topic</label>
      <input
        id="room-topic-input"
        data-testid="room-topic-input"
        autocomplete="off"
        placeholder="What this room is for"
        [maxLength]="maxTopic"
        [value]="topic()"
        (input)="topic.set($any($event.target).value)"
      />
      <div class="buttons">
        <button type="submit" data-testid="save-settings" [disabled]="saving()">Save</button>
        @if (saved() && !saving()) {
          <span class="saved" role="status">Saved</span>
        }
      </div>
      @if (problem() ?? error(); as problem) {
        <p class="error" role="alert" data-testid="settings-error">{{ problem }}</p>
      }
    </form>
    @if (room().private && room().role === 'owner') {
      <section class="archive" aria-labelledby="adding-heading">
        <h3 id="adding-heading">Adding people</h3>
        <p id="adding-text">Every member may add people, unless you keep it to the owner and admins.</p>
        <button
          type="button"
          role="switch"
          class="switch"
          data-testid="admins-only-add"
          aria-describedby="adding-text"
          [attr.aria-checked]="room().membersMayAdd === false"
          [disabled]="saving()"
          (click)="restrictAdding(room().membersMayAdd !== false)"
        >
          Only owner and admins add people
        </button>
      </section>
    }
    <section class="archive" aria-labelledby="archive-heading">
      <h3 id="archive-heading">{{ room().archived ? 'Archived' : 'Archive' }}</h3>
      <p>
        {{
          room().archived
            ? 'The room is read-only and out of the room list. Its members can still read it.'
            : 'Make the room read-only and take it out of the room list. Its members can still read it.'
        }}
      </p>
      <button type="button" class="plain" data-testid="archive-room" [disabled]="saving()" (click)="archive()">
        {{ room().archived ? 'Unarchive' : 'Archive' }} the room
      </button>
    </section>
  `,
  styleUrl: './members-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomSettings {
  private readonly store = inject(Store);
  readonly room = input.required<Room>();
  readonly saving = input(false);
  readonly error = input<string | null>(null);
  readonly saved = input(false);

  protected readonly maxTitle = MAX_NAME_LENGTH;
  protected readonly maxTopic = MAX_TOPIC_LENGTH;
  protected readonly title = signal('');
  protected readonly topic = signal('');
  protected readonly problem = signal<string | null>(null);
  private readonly roomName = computed(() => this.room().name);

  constructor() {
    // The room's values when the form opens for a room (not on every change: what is typed stays).
    effect(() => {
      this.roomName();
      untracked(() => {
        const room = this.room();
        this.title.set(room.title);
        this.topic.set(room.topic ?? '');
        this.problem.set(null);
      });
    });
  }

  protected save(): void {
    const room = this.room();
    const title = this.title().trim();
    const topic = this.topic().trim();
    if (!title) {
      this.problem.set('Give the room a title');
      return;
    }
    this.problem.set(null);
    const changes: { -readonly [K in keyof UpdateRoomRequest]: UpdateRoomRequest[K] } = {};
    if (title !== room.title) changes.title = title;
    if (topic !== (room.topic ?? '')) changes.topic = topic;
    if (Object.keys(changes).length === 0) {
      this.problem.set('Nothing changed');
      return;
    }
    this.store.dispatch(MembersPanelActions.settingsSaved({ room: room.name, changes }));
  }

  protected restrictAdding(restrict: boolean): void {
    const changes = { membersMayAdd: !restrict };
    this.store.dispatch(MembersPanelActions.settingsSaved({ room: this.room().name, changes }));
  }

  protected archive(): void {
    const room = this.room();
    this.store.dispatch(MembersPanelActions.settingsSaved({ room: room.name, changes: { archived: !room.archived } }));
  }
}
