import { postMessage } from './messages';
import { signalROut } from './lib/signalr';
import { alice, invocation, request } from './testing/requests';

const valid = { id: '3f1c2b9e-8f4b-4d0e-9a51-5c1f7f1f0a11', room: 'general', text: '  hello there  ' };

describe('messages', () => {
  it('stamps sender and time from the server and broadcasts newMessage', async () => {
    const context = invocation('messages');
    const before = Date.now();
    const response = await postMessage(request('POST', 'messages', { user: alice, body: valid }), context);
    expect(response.status).toBe(201);
    const message = response.jsonBody as { sender: unknown; sentAt: string; text: string };
    expect(message).toMatchObject({ id: valid.id, room: 'general', text: 'hello there', sender: alice });
    expect(Date.parse(message.sentAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(context.extraOutputs.get(signalROut)).toEqual([{ target: 'newMessage', arguments: [message] }]);
  });

  it('ignores a sender given in the body', async () => {
    const context = invocation('messages');
    const body = { ...valid, sender: { id: 'mallory', name: 'Admin' } };
    const response = await postMessage(request('POST', 'messages', { user: alice, body }), context);
    expect((response.jsonBody as { sender: unknown }).sender).toEqual(alice);
  });

  it('answers 401 without a principal and broadcasts nothing', async () => {
    const context = invocation('messages');
    const response = await postMessage(request('POST', 'messages', { body: valid }), context);
    expect(response.status).toBe(401);
    expect(context.extraOutputs.get(signalROut)).toBeUndefined();
  });

  it.each([
    [{ ...valid, text: '   ' }, 'text must be 1-4000 characters'],
    [{ ...valid, text: 'x'.repeat(4001) }, 'text must be 1-4000 characters'],
    [{ ...valid, text: 'bell\u0007' }, 'text must not contain control characters'],
    [{ ...valid, text: 42 }, 'text must be a string'],
    [{ ...valid, room: 'General!' }, 'room must be 1-64 characters of a-z, 0-9 and "-"'],
    [{ ...valid, id: '' }, 'id must be 1-64 letters, digits, "-" or "_" (a UUID works)'],
  ])('refuses %j with 400 and the JSON error shape', async (body, message) => {
    const context = invocation('messages');
    const response = await postMessage(request('POST', 'messages', { user: alice, body }), context);
    expect(response.status).toBe(400);
    expect(response.jsonBody).toEqual({ error: { code: 'validation_failed', message } });
    expect(context.extraOutputs.get(signalROut)).toBeUndefined();
  });

  it('accepts 4000 characters and keeps line breaks', async () => {
    const text = 'a\n'.repeat(2000).trim();
    const response = await postMessage(
      request('POST', 'messages', { user: alice, body: { ...valid, text } }),
      invocation('messages'),
    );
    expect(response.status).toBe(201);
    expect((response.jsonBody as { text: string }).text).toBe(text);
  });

  it('answers 400 malformed_json for a broken body', async () => {
    const response = await postMessage(
      request('POST', 'messages', { user: alice, rawBody: '{"id": "x", ' }),
      invocation('messages'),
    );
    expect(response.status).toBe(400);
    expect(response.jsonBody).toEqual({ error: { code: 'malformed_json', message: 'The body is not valid JSON' } });
  });

  it('answers 413 for a body over 16 KB', async () => {
    const body = { ...valid, text: 'x'.repeat(17 * 1024) };
    const response = await postMessage(request('POST', 'messages', { user: alice, body }), invocation('messages'));
    expect(response.status).toBe(413);
  });
});
