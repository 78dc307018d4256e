import { firstValueFrom, type Observable, of, throwError, toArray } from 'rxjs';

import type { PushDevice, PushSubscriptionRequest, ReadState } from '../../../contract';
import { ApiError } from '../core/api-client';
import { NotificationsApiActions } from '../notifications/notifications.actions';
import { ReadStateApiActions } from '../read-state/read-state.actions';
import { type BrowserPush, deviceLabel } from './browser-push';
import { NotificationSettingsApiActions, SettingsPanelActions } from './notification-settings.actions';
import {
  endDoNotDisturb,
  loadDevices,
  removeDevice,
  setDoNotDisturb,
  setLevel,
  turnOnPush,
} from './notification-settings.effects';
import type { NotificationSettingsApi } from './notification-settings-api';

const subscription: PushSubscriptionRequest = {
  endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
  expirationTime: null,
  keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) },
};
const laptop: PushDevice = {
  endpoint: subscription.endpoint,
  device: 'Chrome on Linux',
  createdAt: '2026-12-07T10:00:00Z',
};

/** The browser's side as a person's browser answers it; `calls` records what the app asked of it. */
function browser(permission: NotificationPermission, subscribe: () => Promise<PushSubscriptionRequest>) {
  const calls: string[] = [];
  let own: string | null = null;
  const push: BrowserPush = {
    supported: () => true,
    requestPermission: async () => {
      calls.push('permission');
      return permission;
    },
    subscribe: async (key) => {
      calls.push(`subscribe ${key}`);
      const made = await subscribe();
      own = made.endpoint;
      return made;
    },
    endpoint: async () => own,
    unsubscribe: async () => {
      calls.push('unsubscribe');
      own = null;
    },
  };
  return { push, calls, subscribeOwn: (endpoint: string) => (own = endpoint) };
}

function server(
  overrides: Partial<Record<keyof NotificationSettingsApi, (...args: never[]) => Observable<unknown>>> = {},
) {
  const calls: string[] = [];
  const api = {
    vapidKey: () => {
      calls.push('GET key');
      return of('BKey');
    },
    addDevice: (body: PushSubscriptionRequest) => {
      calls.push(`POST ${body.endpoint} ${body.device}`);
      return of(undefined);
    },
    devices: () => of([laptop]),
    removeDevice: (endpoint: string) => {
      calls.push(`DELETE ${endpoint}`);
      return of(undefined);
    },
    setLevel: (room: string, level: string) => {
      calls.push(`PUT ${room} ${level}`);
      return of({ room, notify: level } as unknown as ReadState);
    },
    setDoNotDisturb: (until: string) => of({ until }),
    endDoNotDisturb: () => of(undefined),
    ...overrides,
  } as unknown as NotificationSettingsApi;
  return { api, calls };
}

const all = (actions$: Observable<unknown>) => firstValueFrom(actions$.pipe(toArray()));

describe('turning pushes on for this device', () => {
  it('asks the permission on the click, then subscribes with the server key and stores it with a device label', async () => {
    const { push, calls } = browser('granted', async () => subscription);
    const { api, calls: sent } = server();
    const out = await all(
      turnOnPush(of(SettingsPanelActions.pushTurnOnClicked({ device: 'Chrome on Linux' })) as never, api, push),
    );
    expect(calls).toEqual(['permission', 'subscribe BKey']);
    expect(sent).toEqual(['GET key', `POST ${subscription.endpoint} Chrome on Linux`]);
    expect(out).toEqual([
      NotificationsApiActions.permissionKnown({ permission: 'granted' }),
      NotificationSettingsApiActions.pushTurnedOn({ endpoint: subscription.endpoint }),
    ]);
  });

  it('stops at a refused permission, and says where to allow it', async () => {
    const { push, calls } = browser('denied', async () => subscription);
    const { api, calls: sent } = server();
    const out = await all(turnOnPush(of(SettingsPanelActions.pushTurnOnClicked({ device: 'x' })) as never, api, push));
    expect(calls).toEqual(['permission']);
    expect(sent).toEqual([]);
    expect(out).toEqual([
      NotificationsApiActions.permissionKnown({ permission: 'denied' }),
      NotificationSettingsApiActions.pushFailed({
        error: 'Notifications are blocked for Hubbub: allow them in the browser’s site settings',
        blocked: true,
      }),
    ]);
  });

  it("shows the browser's or the server's refusal in their words (tab notifications stay on)", async () => {
    const noPushService = browser('granted', async () => {
      throw new DOMException('Registration failed - push service error', 'AbortError');
    });
    const refused = server({
      addDevice: () => throwError(() => new ApiError(400, 'validation_failed', 'endpoint is not a known push service')),
    });
    const [first, second] = await Promise.all([
      all(
        turnOnPush(
          of(SettingsPanelActions.pushTurnOnClicked({ device: 'x' })) as never,
          server().api,
          noPushService.push,
        ),
      ),
      all(
        turnOnPush(
          of(SettingsPanelActions.pushTurnOnClicked({ device: 'x' })) as never,
          refused.api,
          browser('granted', async () => subscription).push,
        ),
      ),
    ]);
    expect(first[1]).toEqual(
      NotificationSettingsApiActions.pushFailed({
        error:
          'Notifications are on in open tabs, but pushes could not be set up: Registration failed - push service error',
        blocked: false,
      }),
    );
    expect(second[1]).toEqual(
      NotificationSettingsApiActions.pushFailed({
        error:
          'Notifications are on in open tabs, but pushes could not be set up: endpoint is not a known push service',
        blocked: false,
      }),
    );
  });
});

describe('devices, levels and do not disturb', () => {
  it("lists the devices with this one's endpoint, and removing this device ends its browser subscription too", async () => {
    const { push, calls, subscribeOwn } = browser('granted', async () => subscription);
    subscribeOwn(laptop.endpoint);
    const { api, calls: sent } = server();
    expect(await all(loadDevices(of(SettingsPanelActions.opened()) as never, api, push))).toEqual([
      NotificationSettingsApiActions.devicesLoaded({ devices: [laptop], thisDevice: laptop.endpoint }),
    ]);
    const out = await all(
      removeDevice(of(SettingsPanelActions.deviceRemoveClicked({ endpoint: laptop.endpoint })) as never, api, push),
    );
    expect(sent).toEqual([`DELETE ${laptop.endpoint}`]);
    expect(calls).toEqual(['unsubscribe']);
    expect(out).toEqual([NotificationSettingsApiActions.deviceRemoved({ endpoint: laptop.endpoint })]);
  });

  it("sets a room's level (the answer is its read state) and shows the server's refusal", async () => {
    const { api, calls } = server();
    expect(
      await all(setLevel(of(SettingsPanelActions.levelChosen({ room: 'team', level: 'all' })) as never, api)),
    ).toEqual([
      ReadStateApiActions.readStateChanged({ state: { room: 'team', notify: 'all' } as unknown as ReadState }),
    ]);
    expect(calls).toEqual(['PUT team all']);
    const refusing = server({ setLevel: () => throwError(() => new ApiError(404, 'not_found', 'No room team')) });
    expect(
      await all(
        setLevel(of(SettingsPanelActions.levelChosen({ room: 'team', level: 'nothing' })) as never, refusing.api),
      ),
    ).toEqual([NotificationSettingsApiActions.settingFailed({ error: 'No room team' })]);
  });

  it('turns do not disturb on until the time the server stored, and off', async () => {
    const { api } = server({ setDoNotDisturb: () => of({ until: '2026-12-08T08:00:00.000Z' }) });
    expect(
      await all(
        setDoNotDisturb(of(SettingsPanelActions.doNotDisturbChosen({ until: '2026-12-08T08:00:00Z' })) as never, api),
      ),
    ).toEqual([NotificationSettingsApiActions.doNotDisturbChanged({ until: '2026-12-08T08:00:00.000Z' })]);
    expect(await all(endDoNotDisturb(of(SettingsPanelActions.doNotDisturbEnded()) as never, api))).toEqual([
      NotificationSettingsApiActions.doNotDisturbChanged({ until: null }),
    ]);
    const refusing = server({
      setDoNotDisturb: () =>
        throwError(() => new ApiError(400, 'validation_failed', 'do not disturb lasts at most 7 days')),
    });
    expect(
      await all(setDoNotDisturb(of(SettingsPanelActions.doNotDisturbChosen({ until: 'x' })) as never, refusing.api)),
    ).toEqual([NotificationSettingsApiActions.settingFailed({ error: 'do not disturb lasts at most 7 days' })]);
  });

  it('labels the device by browser and system', () => {
    expect(
      deviceLabel(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux');
    expect(
      deviceLabel(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe(
      'Firefox on Windows',
    );
  });
});
