import { type ApplicationConfig, provideZonelessChangeDetection } from '@angular/core';
import { provideStore } from '@ngrx/store';

import { provideAddresses } from './addresses/addresses.providers';
import { provideAppWorker } from './app-worker/app-worker.providers';
import { provideAttachments } from './attachments/attachments.providers';
import { provideAuth } from './auth/auth.providers';
import { provideCore } from './core/core.providers';
import { provideDrafts } from './drafts/drafts.providers';
import { provideFormatting } from './formatting/formatting.providers';
import { provideHistory } from './history/history.providers';
import { provideMentions } from './mentions/members.providers';
import { provideMessageActions } from './message-actions/message-actions.providers';
import { provideNotifications } from './notifications/notifications.providers';
import { provideOutbox } from './outbox/outbox.providers';
import { providePeople } from './people/people.providers';
import { provideReadState } from './read-state/read-state.providers';
import { provideRooms } from './rooms/rooms.providers';
import { provideChat } from './shell/chat.providers';
import { provideTyping } from './typing/typing.providers';

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideStore(),
    provideAuth(),
    provideCore(),
    provideChat(),
    provideFormatting(),
    provideOutbox(),
    provideHistory(),
    provideMessageActions(),
    provideTyping(),
    provideRooms(),
    providePeople(),
    provideAttachments(),
    provideReadState(),
    provideMentions(),
    provideNotifications(),
    provideDrafts(),
    // The Angular Router on the app's addresses, loaded as the app starts (addresses/address-router.ts).
    provideAddresses(),
    // The service worker: offline start, updates, and pushes' notifications (app-worker/app-worker.ts).
    provideAppWorker(),
  ],
};
