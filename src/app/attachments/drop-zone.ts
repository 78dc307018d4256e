import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Shown over the conversation while files are dragged onto it. The attach button is the keyboard way. */
@Component({
  selector: 'hb-drop-zone',
  template: `<p>Drop files to attach them</p>`,
  host: { 'data-testid': 'drop-zone', 'aria-hidden': 'true' },
  styles: `
    :host {
      position: absolute;
      inset: 0.5rem;
      z-index: 5;
      display: grid;
      place-items: center;
      pointer-events: none;
      border: 3px dashed var(--accent);
      border-radius: 12px;
      background: color-mix(in srgb, var(--surface) 85%, transparent);
    }
    p {
      margin: 0;
      font-size: 1.25rem;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DropZone {}
