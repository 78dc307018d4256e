import { type EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState } from '@ngrx/store';

import { apiPath, Routes } from '../../../contract';
import { AVATAR_URL } from './avatar';
import * as blocksEffects from './blocks.effects';
import { blocksFeature } from './blocks.feature';
import * as peopleEffects from './people.effects';
import { PROFILE_HOST } from './profile-opener';
import { ProfilePopups } from './profile-popups';
import { usersFeature } from './users.feature';

/** Everyone, their presence, avatars and status; whom the user blocked; their profile cards. */
export function providePeople(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideState(usersFeature),
    provideState(blocksFeature),
    provideEffects(peopleEffects, blocksEffects),
    { provide: PROFILE_HOST, useExisting: ProfilePopups },
    {
      provide: AVATAR_URL,
      useValue: (userId: string, version: string) =>
        `${apiPath(Routes.userAvatar, { userId })}?v=${encodeURIComponent(version)}`,
    },
  ]);
}
