import { Injectable } from '@angular/core';

/**
 * The File behind each upload key, for this page's lifetime only: a File cannot go into the store or
 * localStorage. After a reload the keys come back from storage without their Files, so a file that
 * was not stored yet cannot be sent again by itself (the tray says to attach it again).
 */
@Injectable({ providedIn: 'root' })
export class AttachmentFiles {
  private readonly files = new Map<string, Blob>();

  add(key: string, file: Blob): void {
    this.files.set(key, file);
  }

  get(key: string): Blob | undefined {
    return this.files.get(key);
  }

  has(key: string): boolean {
    return this.files.has(key);
  }

  delete(key: string): void {
    this.files.delete(key);
  }
}
