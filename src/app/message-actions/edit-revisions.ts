import { Injectable } from '@angular/core';

/** The last edit revision used in this tab, so each edit's revision (message-edit.ts: nextRevision) is above the one before. */
@Injectable({ providedIn: 'root' })
export class EditRevisions {
  private revision = 0;

  last(): number {
    return this.revision;
  }

  record(revision: number): void {
    this.revision = Math.max(this.revision, revision);
  }
}
