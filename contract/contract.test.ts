import {
  apiPath,
  check,
  declaredAttachmentType,
  DisplayNameSchema,
  EditMessageRequestSchema,
  guard,
  MessageSchema,
  NewMessageRequestSchema,
  ReactionRequestSchema,
  Routes,
  ServerEvents,
  UploadRequestSchema,
  withoutHiddenCharacters,
} from '.';

describe('wire contract', () => {
  it('cleans a new message and names the first problem in words', () => {
    expect(check(NewMessageRequestSchema, { id: 'a-1', room: 'general', text: '  hi  ', extra: 1 })).toEqual({
      ok: true,
      value: { id: 'a-1', room: 'general', text: 'hi' },
    });
    expect(check(NewMessageRequestSchema, { id: 'a 1', room: 'Nope', text: '' })).toEqual({
      ok: false,
      message: 'id must be 1-64 letters, digits, "-" or "_" (a UUID works)',
    });
    expect(check(NewMessageRequestSchema, { id: 'a', room: 'general', text: 'tab\tok\u0000' })).toEqual({
      ok: false,
      message: 'text must not contain control characters',
    });
  });

  it("takes an edit's mentions as a new message's, with the same checks and words", () => {
    expect(
      check(EditMessageRequestSchema, { text: ' hi <@u-1> ', revision: 3, mentions: ['u-1'], mentionsRoom: true }),
    ).toEqual({ ok: true, value: { text: 'hi <@u-1>', revision: 3, mentions: ['u-1'], mentionsRoom: true } });
    expect(check(EditMessageRequestSchema, { text: 'hi', revision: 1 })).toEqual({
      ok: true,
      value: { text: 'hi', revision: 1 },
    });
    const many = Array.from({ length: 21 }, (_, i) => `u-${i}`);
    for (const [field, value] of [
      ['mentions', many],
      ['mentions', ['has/slash']],
      ['mentionsRoom', 'yes'],
    ] as const) {
      const edit = check(EditMessageRequestSchema, { text: 'hi', revision: 1, [field]: value });
      const send = check(NewMessageRequestSchema, { id: 'a', room: 'r', text: 'hi', [field]: value });
      expect(edit).toEqual({ ok: false, message: expect.any(String) });
      expect(edit).toEqual(send);
    }
  });

  it('recognises hub payloads and drops what does not match', () => {
    const isMessage = guard(MessageSchema);
    const message = { id: 'm', room: 'r', text: 't', sender: { id: 'u', name: 'U' }, sentAt: '2026-01-01T00:00:00Z' };
    expect(isMessage(message)).toBe(true);
    expect(isMessage({ ...message, sender: 'U' })).toBe(false);
    expect(guard(ServerEvents.presence)({ user: { id: 'u', name: 'U' }, online: 'yes' })).toBe(false);
  });

  it('fills routes with encoded parameters and refuses a missing one', () => {
    expect(apiPath(Routes.joinRoom, { room: 'a/b c' })).toBe('/api/rooms/a%2Fb%20c/join');
    expect(apiPath(Routes.messages)).toBe('/api/messages');
    expect(() => apiPath(Routes.history)).toThrow('api/rooms/{room}/messages needs room');
  });
});

describe('reactions', () => {
  it.each([['👍'], ['❤️'], ['👍🏽'], ['🇳🇴'], ['👩‍👩‍👧'], ['1️⃣']])('accepts %s as one emoji', (emoji) => {
    expect(check(ReactionRequestSchema, { emoji, add: true })).toEqual({ ok: true, value: { emoji, add: true } });
  });
  it.each([['a'], ['👍👍'], [''], ['👍 '], ['<b>'], ['x'.repeat(40)]])('refuses %j', (emoji) => {
    expect(check(ReactionRequestSchema, { emoji, add: true })).toEqual({
      ok: false,
      message: 'emoji must be a single emoji',
    });
  });
});

describe('file names of uploads', () => {
  const declared = (name: string) => check(UploadRequestSchema, { name, size: 10, type: 'application/zip' });

  it.each([
    ['invoice\u202Efdp.zip', 'name must not contain bidirectional control characters'],
    ['a\u2066b.zip', 'name must not contain bidirectional control characters'],
    ['in\u200Bvoice.zip', 'name must not contain zero-width characters'],
    ['no\uFEFFtes.zip', 'name must not contain zero-width characters'],
  ])('refuses %j as display names are refused', (name, message) => {
    expect(declared(name)).toEqual({ ok: false, message });
    expect(check(DisplayNameSchema, name)).toEqual({ ok: false, message });
  });

  it('keeps the zero-width joiner of an emoji sequence, as display names do', () => {
    expect(declared('👩‍👩‍👧 photos.zip')).toEqual({
      ok: true,
      value: { name: '👩‍👩‍👧 photos.zip', size: 10, type: 'application/zip' },
    });
  });

  it('strips hidden characters from names stored before they were refused', () => {
    expect(withoutHiddenCharacters('invoice\u202Efdp.zip')).toBe('invoicefdp.zip');
    expect(withoutHiddenCharacters('a\u200Bb\u200Dc \uFEFF👩‍👩‍👧')).toBe('abc 👩‍👩‍👧');
  });

  it("declares the type the server expects when the browser names it otherwise (Chromium's audio/x-m4a)", () => {
    expect(declaredAttachmentType('audio/x-m4a')).toBe('audio/mp4');
    expect(declaredAttachmentType('audio/mp3')).toBe('audio/mpeg');
    expect(declaredAttachmentType('video/mp4')).toBe('video/mp4');
    expect(declaredAttachmentType('text/html')).toBe('text/html');
    expect(declaredAttachmentType('toString')).toBe('toString');
  });

  it('accepts video and audio', () => {
    for (const type of ['video/mp4', 'video/webm', 'audio/mpeg', 'audio/mp4', 'audio/webm', 'audio/ogg']) {
      expect(check(UploadRequestSchema, { name: 'clip', size: 1, type })).toEqual({
        ok: true,
        value: { name: 'clip', size: 1, type },
      });
    }
  });
});
