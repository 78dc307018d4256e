import { postRoom } from './create-room';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { alice, carol } from './testing/requests';
import { postTyping } from './typing';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

describe('typing', () => {
  it('typing goes to the room and only members may send it', async () => {
    await call(postRoom, 'POST', 'rooms', { user: alice, body: { name: 'typists' } });
    const typing = await call(postTyping, 'POST', 'x', { user: alice, params: { room: 'typists' } });
    expect(typing.status).toBe(202);
    expect(typing.outputs).toEqual([
      { target: 'typing', arguments: [{ room: 'typists', user: alice }], groupName: 'typists' },
    ]);
    expect((await call(postTyping, 'POST', 'x', { user: carol, params: { room: 'typists' } })).status).toBe(403);
    expect((await call(postTyping, 'POST', 'x', { user: alice, params: { room: 'no-such-room' } })).status).toBe(404);
  });
});
