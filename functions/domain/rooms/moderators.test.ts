import { moderators, workspaceAdmins } from './moderators';

it('reads moderators and workspace admins from the app settings', () => {
  expect([...moderators({ HUBBUB_MODERATORS: ' u1, u2,,' })]).toEqual(['u1', 'u2']);
  expect(moderators({}).size).toBe(0);
  expect([...workspaceAdmins({ HUBBUB_ADMINS: 'a1 ,a2' })]).toEqual(['a1', 'a2']);
  expect(workspaceAdmins({}).size).toBe(0);
});
