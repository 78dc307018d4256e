/** The SignalR binding properties every SignalR binding shares, and the connection they point at. */
import type { AppSettingUse, BindingProperties } from './binding';
import { parseConnectionString, type SignalRConnection } from './connection-string';

export const DEFAULT_CONNECTION_SETTING = 'AzureSignalRConnectionString';

export function connectionSettingOf(binding: Readonly<Record<string, unknown>>): string {
  const setting = binding['connectionStringSetting'] ?? binding['connection'];
  return typeof setting === 'string' && setting !== '' ? setting : DEFAULT_CONNECTION_SETTING;
}

export function hubNameOf(binding: Readonly<Record<string, unknown>>): string {
  const hub = binding['hubName'];
  if (typeof hub !== 'string' || hub.trim() === '') throw new Error('the binding has no hubName');
  return hub;
}

/** Reads and parses the named setting; the message names the setting, never its value (it holds the key). */
export function connectionFromSetting(setting: string, env: NodeJS.ProcessEnv = process.env): SignalRConnection {
  const value = env[setting];
  if (value === undefined || value.trim() === '') {
    throw new Error(`The SignalR Service connection string setting '${setting}' is not set`);
  }
  try {
    return parseConnectionString(value);
  } catch (err) {
    throw new Error(
      `The SignalR Service connection string in setting '${setting}' is invalid: ${(err as Error).message}`,
    );
  }
}

/** For the SignalR bindings' `appSetting`: the startup warning names the setting when it is unset. */
export function signalRAppSetting(binding: BindingProperties): AppSettingUse {
  return { setting: connectionSettingOf(binding), service: 'SignalR' };
}
