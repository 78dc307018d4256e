/**
 * Which storage account a storage binding (queue, blob, table, timer monitor) talks to, resolved
 * as the Functions host resolves a binding's `connection`: empty means `AzureWebJobsStorage`; a
 * name is looked up as an app setting, then as `AzureWebJobs<name>` (the host's fallback).
 */
import type { AppSettingUse, BindingProperties } from './binding';

export const DEFAULT_STORAGE_SETTING = 'AzureWebJobsStorage';

/** The binding's `connection` property, or the default storage setting. */
export function storageSettingOf(binding: Readonly<Record<string, unknown>>): string {
  const setting = binding['connection'];
  return typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : DEFAULT_STORAGE_SETTING;
}

/**
 * The connection string for `setting`. Identity-based connections (`<name>__serviceUri`,
 * `__accountName`, `__queueServiceUri`, …) are a platform feature with a managed identity behind
 * them; locally there is none, so they are refused with a pointer to a connection string.
 */
export function storageConnectionString(setting: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const name of [setting, `AzureWebJobs${setting}`]) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  const identityKeys = Object.keys(env).filter((key) => key.toLowerCase().startsWith(`${setting.toLowerCase()}__`));
  if (identityKeys.length > 0) {
    throw new Error(
      `Storage connection '${setting}' is identity-based (${identityKeys.join(', ')}), which the local Functions host ` +
        `does not support; set '${setting}' to a connection string (e.g. UseDevelopmentStorage=true for Azurite)`,
    );
  }
  // The host's wording (Microsoft.Azure.WebJobs.Extensions.Storage).
  throw new Error(
    `Storage account connection string '${setting === DEFAULT_STORAGE_SETTING ? setting : `AzureWebJobs${setting}`}' ` +
      `does not exist. Make sure that it is a defined App Setting.`,
  );
}

/** The connection string a binding uses; throws with the host's message when it is not set. */
export function storageConnectionOf(
  binding: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return storageConnectionString(storageSettingOf(binding), env);
}

/** For the storage bindings' `appSetting`: the startup warning names the setting when it is unset. */
export function storageAppSetting(binding: BindingProperties): AppSettingUse {
  return { setting: storageSettingOf(binding), service: 'storage' };
}
