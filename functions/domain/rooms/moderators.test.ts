import { moderators } from './moderators';

it('reads moderators from the app setting', () => {
  expect([...moderators({ HUBBUB_MODERATORS: ' u1, u2,,' })]).toEqual(['u1', 'u2']);
  expect(moderators({}).size).toBe(0);
});
