import { getRooms } from './rooms';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { carol } from './testing/requests';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

describe('rooms', () => {
  it('lists general for everyone, joined', async () => {
    const { status, body } = await call(getRooms, 'GET', 'rooms', { user: carol });
    expect(status).toBe(200);
    expect(body['rooms']).toContainEqual({ name: 'general', kind: 'room', title: 'general', joined: true });
  });
});
