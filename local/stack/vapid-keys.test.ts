/** The local stack's VAPID keys: generated once into the data directory, owner-only, and valid for push. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { vapidDetails } from '../../functions/domain/push/vapid';
import { stackVapidKeys } from './stack';

describe('stackVapidKeys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hubbub-vapid-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates a valid key pair once and reads it back afterwards', async () => {
    const first = await stackVapidKeys(dir);
    expect(() => vapidDetails({ ...first })).not.toThrow();
    expect((await stat(join(dir, 'vapid.json'))).mode & 0o777).toBe(0o600);
    expect(await stackVapidKeys(dir)).toEqual(first);
  });
});
