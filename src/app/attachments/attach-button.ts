import { ChangeDetectionStrategy, Component, output } from '@angular/core';

import { ALLOWED_ATTACHMENT_TYPES } from '../../../contract';

/** The composer's paperclip: a real button that opens the file picker (several files at once). */
@Component({
  selector: 'hb-attach-button',
  template: `
    <button
      type="button"
      class="attach"
      data-testid="attach-button"
      aria-label="Attach files"
      title="Attach files (or drop them on the conversation, or paste an image)"
      (click)="picker.click()"
    >
      <span aria-hidden="true">📎</span>
    </button>
    <input #picker type="file" multiple hidden data-testid="attach-input" [accept]="accept" (change)="choose($event)" />
  `,
  styles: `
    .attach {
      padding: 0.45rem 0.6rem;
      color: inherit;
      background: transparent;
      border: 1px solid var(--border);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AttachButton {
  readonly files = output<File[]>();
  protected readonly accept = ALLOWED_ATTACHMENT_TYPES.join(',');

  protected choose(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    // The same file can be chosen again (after removing it).
    input.value = '';
    if (files.length > 0) this.files.emit(files);
  }
}
