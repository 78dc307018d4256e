import { storageConnectionOf, storageConnectionString, storageSettingOf } from './storage-connection';

describe('storage connection settings, resolved as the Functions host resolves them', () => {
  it('defaults to AzureWebJobsStorage and trims the name', () => {
    expect(storageSettingOf({})).toBe('AzureWebJobsStorage');
    expect(storageSettingOf({ connection: '' })).toBe('AzureWebJobsStorage');
    expect(storageSettingOf({ connection: ' MyStorage ' })).toBe('MyStorage');
  });

  it('reads the named setting, then AzureWebJobs<name>', () => {
    expect(storageConnectionString('MyStorage', { MyStorage: 'A', AzureWebJobsMyStorage: 'B' })).toBe('A');
    expect(storageConnectionString('MyStorage', { AzureWebJobsMyStorage: 'B' })).toBe('B');
    expect(storageConnectionOf({ connection: 'X' }, { X: 'UseDevelopmentStorage=true' })).toBe(
      'UseDevelopmentStorage=true',
    );
  });

  it("says which setting is missing in the host's words", () => {
    expect(() => storageConnectionString('AzureWebJobsStorage', {})).toThrow(
      "Storage account connection string 'AzureWebJobsStorage' does not exist. Make sure that it is a defined App Setting.",
    );
    expect(() => storageConnectionString('MyStorage', { MyStorage: '  ' })).toThrow(
      "Storage account connection string 'AzureWebJobsMyStorage' does not exist.",
    );
  });

  it('refuses identity-based connections, which need a managed identity, and says what to set instead', () => {
    expect(() =>
      storageConnectionString('MyStorage', { MyStorage__queueServiceUri: 'https://x.queue.core.windows.net' }),
    ).toThrow(
      "Storage connection 'MyStorage' is identity-based (MyStorage__queueServiceUri), which the local Functions host does not support",
    );
  });
});
