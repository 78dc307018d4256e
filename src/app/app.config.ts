import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideEffects } from '@ngrx/effects';
import { provideState, provideStore } from '@ngrx/store';
import * as sessionEffects from './auth/session.effects';
import { sessionFeature } from './auth/session.feature';
import * as chatEffects from './chat/chat.effects';
import { chatFeature } from './chat/chat.feature';
import { typingFeature } from './chat/typing.feature';
import * as connectionEffects from './core/connection.effects';
import { connectionFeature } from './core/connection.feature';
import { usersFeature } from './people/users.feature';
import * as roomsEffects from './rooms/rooms.effects';
import { roomsFeature } from './rooms/rooms.feature';

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideStore(),
    provideState(sessionFeature),
    provideState(connectionFeature),
    provideState(chatFeature),
    provideState(typingFeature),
    provideState(roomsFeature),
    provideState(usersFeature),
    provideEffects(sessionEffects, connectionEffects, chatEffects, roomsEffects),
  ],
};
