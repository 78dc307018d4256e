import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import {
  apiPath,
  type DoNotDisturbRequest,
  type NotificationLevelRequest,
  type NotifyLevel,
  type PushDevice,
  type PushDeviceList,
  type PushSubscriptionRequest,
  type ReadState,
  Routes,
} from '../../../contract';
import { ApiClient } from '../core/api-client';

/** The notification settings' routes (docs/push.md). */
@Injectable({ providedIn: 'root' })
export class NotificationSettingsApi {
  private readonly api = inject(ApiClient);

  /** The room's level; the answer is the caller's read state of the room with its new `notify`. */
  setLevel(room: string, level: NotifyLevel): Observable<ReadState> {
    const request: NotificationLevelRequest = { level };
    return this.api.put<ReadState>(apiPath(Routes.roomNotifications, { room }), request);
  }

  /** Do not disturb until then; the answer holds the time the server stored. */
  setDoNotDisturb(until: string): Observable<{ until: string }> {
    const request: DoNotDisturbRequest = { until };
    return this.api.put<{ until: string }>(apiPath(Routes.doNotDisturb), request);
  }

  endDoNotDisturb(): Observable<unknown> {
    return this.api.delete<unknown>(apiPath(Routes.doNotDisturb));
  }

  vapidKey(): Observable<string> {
    return this.api.get<{ key: string }>(apiPath(Routes.pushVapidKey)).pipe(map((body) => body.key));
  }

  addDevice(subscription: PushSubscriptionRequest): Observable<unknown> {
    return this.api.post<unknown>(apiPath(Routes.pushSubscriptions), subscription);
  }

  devices(): Observable<readonly PushDevice[]> {
    return this.api.get<PushDeviceList>(apiPath(Routes.pushSubscriptions)).pipe(map((body) => body.devices));
  }

  removeDevice(endpoint: string): Observable<unknown> {
    return this.api.delete<unknown>(`${apiPath(Routes.pushSubscriptions)}?endpoint=${encodeURIComponent(endpoint)}`);
  }
}
