import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { applySettingsToEnv, parseLocalSettings, readHostJson, readLocalSettings, readMainPattern } from './settings';

describe('app settings', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hubbub-settings-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads Values, CORS, CORSCredentials and LocalHttpPort', () => {
    const settings = parseLocalSettings(
      {
        Values: { A: 'x', N: 3, B: true },
        Host: { CORS: ' http://a , http://b ', CORSCredentials: true, LocalHttpPort: 7072 },
      },
      'local.settings.json',
    );
    expect(settings).toEqual({
      source: 'local.settings.json',
      values: { A: 'x', N: '3', B: 'true' },
      cors: ['http://a', 'http://b'],
      corsCredentials: true,
      localHttpPort: 7072,
    });
  });

  it('prefers local.settings.json, falls back to the sample, and to nothing', async () => {
    expect(await readLocalSettings(dir)).toEqual({ values: {}, cors: [], corsCredentials: false });
    await writeFile(join(dir, 'local.settings.sample.json'), JSON.stringify({ Values: { FROM: 'sample' } }));
    expect((await readLocalSettings(dir)).values).toEqual({ FROM: 'sample' });
    await writeFile(join(dir, 'local.settings.json'), '\uFEFF' + JSON.stringify({ Values: { FROM: 'local' } }));
    expect(await readLocalSettings(dir)).toMatchObject({ source: 'local.settings.json', values: { FROM: 'local' } });
  });

  it('names the file when it is not JSON', async () => {
    await writeFile(join(dir, 'local.settings.json'), '{ nope');
    await expect(readLocalSettings(dir)).rejects.toThrow(/local\.settings\.json is not valid JSON/);
  });

  it('keeps existing environment variables over the file, and explicit values over both', () => {
    const env: NodeJS.ProcessEnv = { FROM_ENV: 'env', BOTH: 'env' };
    const effective = applySettingsToEnv(
      { FROM_ENV: 'file', FILE_ONLY: 'file', BOTH: 'file' },
      { BOTH: 'option' },
      env,
    );
    expect(env).toEqual({ FROM_ENV: 'env', FILE_ONLY: 'file', BOTH: 'option' });
    expect(effective).toEqual({ FROM_ENV: 'env', FILE_ONLY: 'file', BOTH: 'option' });
  });

  it('reads the route prefix from host.json, default api, empty allowed', async () => {
    expect(await readHostJson(dir)).toEqual({ routePrefix: 'api' });
    await writeFile(join(dir, 'host.json'), JSON.stringify({ extensions: { http: { routePrefix: '' } } }));
    expect(await readHostJson(dir)).toEqual({ routePrefix: '' });
    await writeFile(join(dir, 'host.json'), JSON.stringify({ extensions: { http: { routePrefix: '/v2/' } } }));
    expect(await readHostJson(dir)).toEqual({ routePrefix: 'v2' });
  });

  it('requires package.json main', async () => {
    await expect(readMainPattern(dir)).rejects.toThrow(/No package\.json/);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
    await expect(readMainPattern(dir)).rejects.toThrow(/has no "main"/);
  });
});
