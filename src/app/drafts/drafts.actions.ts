import { createActionGroup, props } from '@ngrx/store';

export const ComposerDraftActions = createActionGroup({
  source: 'Composer',
  events: {
    'Draft Changed': props<{ room: string; text: string }>(),
  },
});

export const DraftStorageActions = createActionGroup({
  source: 'Draft Storage',
  events: {
    'Drafts Restored': props<{ drafts: Readonly<Record<string, string>> }>(),
  },
});
