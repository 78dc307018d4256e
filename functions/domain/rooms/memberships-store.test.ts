import type { Principal } from '../../platform/http/identity';
import { startAzurite, type TestAzurite } from '../../testing/azurite';
import { addMember, removeMember } from './membership-changes';
import { forgetTombstones, isMember, membershipsOf, TOMBSTONE_KEEP_MS } from './memberships-store';
import { createRoom } from './rooms-store';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

const owner: Principal = { id: 'tomb-owner', name: 'Owner' };
const later = () => Date.now() + TOMBSTONE_KEEP_MS + 60_000;

describe('tombstones of rooms left', () => {
  it('are kept for a month, then forgotten', async () => {
    const user: Principal = { id: 'tomb-leaver', name: 'Leaver' };
    await createRoom('tomb-a', owner);
    await addMember('tomb-a', user);
    await removeMember('tomb-a', user.id);

    const now = await membershipsOf(user.id);
    expect(now).toMatchObject({ rooms: [], left: ['tomb-a'], stale: [] });

    const old = await membershipsOf(user.id, later());
    expect(old.stale.map((s) => s.room)).toEqual(['tomb-a']);
    await forgetTombstones(user.id, old.stale);
    expect(await membershipsOf(user.id, later())).toMatchObject({ rooms: [], left: [], stale: [] });
    expect(await isMember('tomb-a', user.id)).toBe(false);
  });

  it('never undo a rejoin that raced the cleanup', async () => {
    const user: Principal = { id: 'tomb-rejoiner', name: 'Rejoiner' };
    await createRoom('tomb-b', owner);
    await addMember('tomb-b', user);
    await removeMember('tomb-b', user.id);
    const read = await membershipsOf(user.id, later());
    expect(read.stale).toHaveLength(1);

    await addMember('tomb-b', user); // between the read and the delete
    await forgetTombstones(user.id, read.stale);

    expect(await isMember('tomb-b', user.id)).toBe(true);
    expect((await membershipsOf(user.id, later())).rooms).toEqual(['tomb-b']);
  });
});
