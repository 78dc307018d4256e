import { Directive, output, signal } from '@angular/core';

/**
 * Files dropped on, or pasted into, the element (the conversation): `dragging` while files are held
 * over it, for a visible drop zone. Only file drags and pastes that carry files are taken; text
 * pastes go on to the text box as usual.
 */
@Directive({
  selector: '[hbFileDrop]',
  exportAs: 'hbFileDrop',
  host: {
    '(dragenter)': 'enter($event)',
    '(dragover)': 'over($event)',
    '(dragleave)': 'leave($event)',
    '(drop)': 'drop($event)',
    '(paste)': 'paste($event)',
  },
})
export class FileDrop {
  readonly filesDropped = output<File[]>();
  readonly dragging = signal(false);
  /** dragenter/dragleave fire for every child crossed: count them to know when the drag left. */
  private depth = 0;

  protected enter(event: DragEvent): void {
    if (!carriesFiles(event.dataTransfer)) return;
    event.preventDefault();
    this.depth++;
    this.dragging.set(true);
  }

  protected over(event: DragEvent): void {
    if (!carriesFiles(event.dataTransfer)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging.set(true);
  }

  protected leave(event: DragEvent): void {
    if (!carriesFiles(event.dataTransfer)) return;
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.dragging.set(false);
  }

  protected drop(event: DragEvent): void {
    const files = Array.from(event.dataTransfer?.files ?? []);
    this.depth = 0;
    this.dragging.set(false);
    if (files.length === 0) return;
    event.preventDefault();
    this.filesDropped.emit(files);
  }

  protected paste(event: ClipboardEvent): void {
    const files = Array.from(event.clipboardData?.files ?? []);
    if (files.length === 0) return;
    event.preventDefault();
    this.filesDropped.emit(files);
  }
}

function carriesFiles(transfer: DataTransfer | null): boolean {
  return !!transfer && Array.from(transfer.types).includes('Files');
}
