import { ChangeDetectionStrategy, Component, output } from '@angular/core';

import { ALLOWED_ATTACHMENT_TYPES, ATTACHMENT_TYPE_ALIASES } from '../../../contract';

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
      <!-- Drawn, not an emoji: a system without an emoji font would show an empty box. -->
      <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" focusable="false">
        <path
          d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5.5a3 3 0 0 1 6 0V15a1.5 1.5 0 0 1-3 0V6.5"
          fill="none"
          stroke="currentColor"
          stroke-width="1.8"
          stroke-linecap="round"
          stroke-linejoin="round"
        />
      </svg>
    </button>
    <input #picker type="file" multiple hidden data-testid="attach-input" [accept]="accept" (change)="choose($event)" />
  `,
  styles: `
    .attach {
      display: inline-flex;
      align-items: center;
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
  // With the browsers' other names for them (Chromium lists an .m4a as audio/x-m4a).
  protected readonly accept = [...ALLOWED_ATTACHMENT_TYPES, ...Object.keys(ATTACHMENT_TYPE_ALIASES)].join(',');

  protected choose(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    // The same file can be chosen again (after removing it).
    input.value = '';
    if (files.length > 0) this.files.emit(files);
  }
}
