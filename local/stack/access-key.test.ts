/** The stack's SignalR key: the one local.settings.json configures, else random per run. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEFAULT_EMULATOR_ACCESS_KEY } from '@hubbub/signalr-emulator';

import { stackAccessKey } from './stack';

describe('stackAccessKey', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hubbub-key-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is random and never the published key when nothing is configured', async () => {
    const [a, b] = [await stackAccessKey(dir), await stackAccessKey(dir)];
    expect(a).not.toBe(b);
    expect(a).not.toBe(DEFAULT_EMULATOR_ACCESS_KEY);
    expect(a.length).toBeGreaterThanOrEqual(43);
    await writeFile(join(dir, 'local.settings.json'), JSON.stringify({ Values: { Other: 'x' } }));
    expect(await stackAccessKey(dir)).not.toBe(DEFAULT_EMULATOR_ACCESS_KEY);
  });

  it('is the AccessKey local.settings.json names, so existing settings keep working', async () => {
    await writeFile(
      join(dir, 'local.settings.json'),
      JSON.stringify({
        Values: { AzureSignalRConnectionString: 'Endpoint=http://localhost;Port=8888;AccessKey=mine;' },
      }),
    );
    expect(await stackAccessKey(dir)).toBe('mine');
  });

  it('the sample settings name no key, so a fresh checkout gets a random one', async () => {
    const text = await readFile(join(__dirname, '../../local.settings.sample.json'), 'utf8');
    const sample = JSON.parse(text) as { Values: Record<string, string> };
    expect(sample.Values['AzureSignalRConnectionString']).toBeUndefined();
  });
});
