import { fixtureRoot, startFixtureHost } from './testing/helpers';

describe('local Functions host: startup checks', () => {
  it('fails fast naming a binding it does not implement', async () => {
    await expect(startFixtureHost('unsupported-app')).rejects.toThrow(
      /Function "enqueue": binding "queueOut" of type "serviceBus" \(direction out\) is not supported by the local Functions host/,
    );
  });

  it('serves one app per process and says how to host another', async () => {
    await expect(startFixtureHost('basic-app')).rejects.toThrow(
      `This process already loaded the Functions app in ${fixtureRoot('unsupported-app')}; one process serves one app.`,
    );
  });
});
