/** Input hygiene: ids that cannot be Table keys and names that hide or reorder text are refused with 400. */
import { check, DisplayNameSchema, UserIdSchema } from '../../../contract';
import { postDm } from '../../direct-messages';
import { me } from '../../me';
import { invocation, principalHeaders, request } from '../../testing/requests';
import { type HttpHandler, withErrors } from './with-errors';

const as = async (handler: HttpHandler, id: string, name: string, body?: unknown) => {
  // Headers carry only Latin-1: the name travels in the base64 principal, as the platform sends it.
  const headers = { ...principalHeaders({ id, name }), 'x-ms-client-principal-name': 'latin-1 only' };
  const response = await withErrors(handler)(request('POST', 'x', { headers, body }), invocation('x'));
  return { status: response.status, body: response.jsonBody as { error?: { code: string; message: string } } };
};

describe('user ids and names', () => {
  it.each([['a/b'], ['a\\b'], ['a#b'], ['a?b'], ['a\u0085b'], ['x'.repeat(257)]])(
    'refuses the id %j before it reaches a Table key (400, not 503)',
    async (id) => {
      const response = await as(me, id, 'Someone');
      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe('validation_failed');
    },
  );

  it.each([
    ['bidi override', 'evil\u202Egnp.exe'],
    ['isolate', 'a\u2066b'],
    ['right-to-left mark', 'a\u200Fb'],
    ['arabic letter mark', 'a\u061Cb'],
    ['zero-width space', 'Ali\u200Bce'],
    ['zero-width joiner between letters', 'Ali\u200Dce'],
    ['byte-order mark', 'Ali\uFEFFce'],
    ['word joiner', 'Al\u2060ice'],
    ['a line break', 'Alice\nBob'],
  ])('refuses a name with a %s', async (_what, name) => {
    const response = await as(me, 'dev-hygiene', name);
    expect(response.status).toBe(400);
    expect(response.body.error?.message).toMatch(/display name/);
  });

  it.each([['李雷'], ['Zoë'], ['👩‍👩‍👧 family'], ['O’Brien'], ['Renée 🏳️‍🌈']])('accepts %j', async (name) => {
    const response = await as(me, 'dev-hygiene', name);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'dev-hygiene', name });
  });

  it('refuses a DM to an id that cannot be a key with 400', async () => {
    for (const userId of ['a/b', 'x#y', '', 'q'.repeat(300)]) {
      const response = await as(postDm, 'dev-hygiene', 'Hy', { userId });
      expect(response.status).toBe(400);
    }
  });

  it('the rules are contract schemas', () => {
    expect(check(UserIdSchema, 'dev-0123456789abcdef').ok).toBe(true);
    expect(check(UserIdSchema, 'aad|8f3c…@example.com').ok).toBe(true);
    // What HTTP headers cannot carry is refused by the schema all the same.
    for (const id of ['a\u0000b', ' padded', '', 'a\u001Fb']) expect(check(UserIdSchema, id).ok).toBe(false);
    expect(check(DisplayNameSchema, '  Alice  ')).toEqual({ ok: true, value: 'Alice' });
    expect(check(DisplayNameSchema, '\u202E')).toMatchObject({ ok: false });
  });
});
