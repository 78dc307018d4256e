import { randomUUID } from 'node:crypto';

import { InvocationContext, type Timer } from '@azure/functions';

import type { AttachmentUrl, ErrorBody, Message, MessagePage, UploadComplete, UploadResponse } from '../contract';
import { MAX_ATTACHMENT_BYTES, UNSENT_UPLOAD_TTL_MS, UPLOAD_URL_TTL_MS } from '../contract';
import { getAttachment } from './attachments';
import { postRoom } from './create-room';
import { deleteMessage } from './delete-message';
import { sweepAbandonedUploads, UPLOAD_CHECK_DELAY_MS } from './domain/attachments/attachments';
import { getHistory } from './history';
import { postJoin } from './join-room';
import { postLeave } from './leave-room';
import { postMessage } from './messages';
import { blobs } from './platform/storage/blobs';
import { table } from './platform/storage/tables';
import { sweepUploads } from './sweep-uploads';
import { startAzurite, type TestAzurite } from './testing/azurite';
import { call } from './testing/calls';
import { invocation } from './testing/requests';
import { postUpload, postUploadComplete } from './uploads';

let azurite: TestAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(() => azurite.stop());

// Own people and rooms: Jest runs files in parallel against one Azurite.
const owner = { id: 'dev-att-owner000000', name: 'Ana' };
const member = { id: 'dev-att-member00000', name: 'Max' };
const outsider = { id: 'dev-att-outsider000', name: 'Oz' };
const leaver = { id: 'dev-att-leaver00000', name: 'Lee' };
const room = 'attach-room';
const otherRoom = 'attach-other';

beforeAll(async () => {
  await call(postRoom, 'POST', 'rooms', { user: owner, body: { name: room } });
  await call(postRoom, 'POST', 'rooms', { user: owner, body: { name: otherRoom } });
  for (const user of [member, leaver]) await call(postJoin, 'POST', `rooms/${room}/join`, { user, params: { room } });
});

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(56, 7)]);
const PDF = Buffer.from('%PDF-1.4\n% a tiny pdf\n');

/** `null`: signed out. */
const upload = (body: unknown, user: typeof owner | null = member, where = room) =>
  call<UploadResponse & ErrorBody>(postUpload, 'POST', `rooms/${where}/uploads`, {
    user: user ?? undefined,
    params: { room: where },
    body,
  });

const put = (url: string, bytes: Buffer, type: string) =>
  fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': type }, body: bytes });

/** An upload of the file, stored. */
async function stored(name: string, bytes: Buffer, type: string, user = member, where = room) {
  const issued = await upload({ name, size: bytes.length, type }, user, where);
  expect(issued.status).toBe(201);
  expect((await put(issued.body.url, bytes, type)).status).toBe(201);
  return issued.body;
}

const send = (attachments: unknown, user = member, id = randomUUID(), text = '') =>
  call<Message & ErrorBody>(postMessage, 'POST', 'messages', { user, body: { id, room, text, attachments } });

const attachment = (id: string, user: typeof owner | undefined, query: Record<string, string> = {}) =>
  call<AttachmentUrl & ErrorBody>(getAttachment, 'GET', `rooms/${room}/attachments/${id}`, {
    user,
    params: { room, id },
    query,
  });

describe('POST /api/rooms/{room}/uploads', () => {
  it('issues a write URL for one new blob, valid 10 minutes, that can neither read nor write elsewhere', async () => {
    const before = Date.now();
    const issued = await upload({ name: 'cat photo.png', size: PNG.length, type: 'image/png' });
    expect(issued.status).toBe(201);
    const { uploadId, url, expiresAt, maxBytes } = issued.body;
    expect(maxBytes).toBe(PNG.length);
    expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(UPLOAD_URL_TTL_MS - 1000);
    expect(Date.parse(expiresAt) - before).toBeLessThanOrEqual(UPLOAD_URL_TTL_MS + 5000);
    const parsed = new URL(url);
    expect(parsed.pathname).toBe(`/devstoreaccount1/attachments/${room}/${uploadId}/cat_photo.png`);
    expect(parsed.searchParams.get('sp')).toBe('c');
    expect(parsed.searchParams.get('sr')).toBe('b');

    // Another blob name with the same signature: refused.
    const elsewhere = new URL(url);
    elsewhere.pathname = elsewhere.pathname.replace('cat_photo.png', 'other.png');
    expect((await put(elsewhere.toString(), PNG, 'image/png')).status).toBe(403);
    expect((await put(url, PNG, 'image/png')).status).toBe(201);
    // It cannot read what it wrote, nor overwrite it.
    expect((await fetch(url)).status).toBe(403);
    expect([403, 409]).toContain((await put(url, Buffer.from('changed'), 'image/png')).status);
  });

  it('refuses a URL once it has expired', async () => {
    const readable = await stored('expiring.txt', Buffer.from('soon gone'), 'text/plain');
    const access = await blobs();
    const expiresOn = new Date(Date.now() + 2000);
    const readName = decodeURIComponent(new URL(readable.url).pathname.split('/attachments/')[1]);
    const read = await access.sasUrl(readName, { permissions: 'r', expiresOn });
    const lateName = `${room}/${randomUUID()}/late.txt`;
    const write = await access.sasUrl(lateName, { permissions: 'c', expiresOn });
    expect((await fetch(read)).status).toBe(200);
    // Wait on the condition (the read URL stops working), not on a guessed time.
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await fetch(read)).status;
    }
    expect(status).toBe(403);
    expect((await put(write, Buffer.from('too late'), 'text/plain')).status).toBe(403);
    expect(await access.container.getBlobClient(lateName).exists()).toBe(false);
  });

  it('refuses files over the size limit, types outside the allow-list and names that say another type', async () => {
    const tooBig = await upload({ name: 'huge.zip', size: MAX_ATTACHMENT_BYTES + 1, type: 'application/zip' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('payload_too_large');
    for (const [name, type] of [
      ['page.html', 'text/html'],
      ['logo.svg', 'image/svg+xml'],
      ['app.js', 'application/javascript'],
    ]) {
      const refused = await upload({ name, size: 10, type });
      expect({ name, status: refused.status, code: refused.body.error.code }).toEqual({
        name,
        status: 400,
        code: 'validation_failed',
      });
    }
    const disguised = await upload({ name: 'page.html', size: 10, type: 'image/png' });
    expect(disguised.status).toBe(400);
    expect(disguised.body.error.message).toContain('extension');
    expect((await upload({ name: '../../etc/passwd', size: 10, type: 'text/plain' })).status).toBe(400);
    expect((await upload({ name: 'a.txt', size: 0, type: 'text/plain' })).status).toBe(400);
  });

  it('is for members only: 401 signed out, 403 outside the room, 404 for no such room', async () => {
    const body = { name: 'a.txt', size: 3, type: 'text/plain' };
    expect((await upload(body, null)).status).toBe(401);
    expect((await upload(body, outsider)).status).toBe(403);
    expect((await upload(body, member, 'attach-nowhere')).status).toBe(404);
  });
});

describe('POST /api/messages with attachments', () => {
  it('stores the files it names, once, and a member reads them through a short-lived read URL', async () => {
    const photo = await stored('photo.png', PNG, 'image/png');
    const doc = await stored('report.pdf', PDF, 'application/pdf');
    const id = randomUUID();
    const refs = [{ id: photo.uploadId, width: 8, height: 8 }, { id: doc.uploadId }];
    const sent = await send(refs, member, id);
    expect(sent.status).toBe(201);
    expect(sent.body.text).toBe('');
    expect(sent.body.attachments).toEqual([
      { id: photo.uploadId, name: 'photo.png', size: PNG.length, type: 'image/png', width: 8, height: 8 },
      { id: doc.uploadId, name: 'report.pdf', size: PDF.length, type: 'application/pdf' },
    ]);
    expect((sent.outputs as { arguments: Message[] }[])[0].arguments[0].attachments).toHaveLength(2);
    // A retry of the same message passes again and stores nothing new.
    const again = await send(refs, member, id);
    expect(again.status).toBe(200);
    expect(again.body.attachments).toEqual(sent.body.attachments);
    const page = await call<MessagePage>(getHistory, 'GET', `rooms/${room}/messages`, {
      user: owner,
      params: { room },
    });
    expect(page.body.messages.find((m) => m.id === id)?.attachments).toEqual(sent.body.attachments);

    // Another member reads: a 302 to a read-only URL serving the stored type, images inline.
    const redirect = await attachment(photo.uploadId, owner);
    expect(redirect.status).toBe(302);
    const location = String((redirect.headers as Record<string, string>)['location']);
    expect(new URL(location).searchParams.get('sp')).toBe('r');
    const image = await fetch(location);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; filename="photo.png"/);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);
    expect(
      (await fetch(location, { method: 'PUT', body: 'x', headers: { 'x-ms-blob-type': 'BlockBlob' } })).status,
    ).toBe(403);

    // Anything but a safe image is a download.
    const json = await attachment(doc.uploadId, owner, { format: 'json' });
    expect(json.status).toBe(200);
    expect(Date.parse(json.body.expiresAt)).toBeGreaterThan(Date.now());
    const pdf = await fetch(json.body.url);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="report.pdf"/);

    // Nobody else gets a URL, and so no bytes.
    const denied = await attachment(photo.uploadId, outsider);
    expect(denied.status).toBe(403);
    expect((denied.headers as Record<string, string>)['location']).toBeUndefined();
    expect((await attachment(photo.uploadId, undefined)).status).toBe(401);
  });

  it('accepts only uploads of this sender and room, stored with the declared size and type, once', async () => {
    const declaredOnly = await upload({ name: 'later.txt', size: 5, type: 'text/plain' });
    const notYet = await send([{ id: declaredOnly.body.uploadId }]);
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.message).toContain('not stored yet');

    const short = await upload({ name: 'short.txt', size: 100, type: 'text/plain' });
    await put(short.body.url, Buffer.from('only a few bytes'), 'text/plain');
    const sizeMismatch = await send([{ id: short.body.uploadId }]);
    expect(sizeMismatch.status).toBe(409);
    expect(sizeMismatch.body.error.message).toContain('not the 100 declared');

    const retyped = await upload({ name: 'notes.txt', size: 5, type: 'text/plain' });
    await put(retyped.body.url, Buffer.from('<svg>'), 'image/svg+xml');
    const typeMismatch = await send([{ id: retyped.body.uploadId }]);
    expect(typeMismatch.status).toBe(409);
    expect(typeMismatch.body.error.message).toContain('image/svg+xml');

    const owners = await stored('owners.txt', Buffer.from('mine'), 'text/plain', owner);
    const someoneElses = await send([{ id: owners.uploadId }]);
    expect(someoneElses.status).toBe(403);

    await call(postJoin, 'POST', `rooms/${otherRoom}/join`, { user: member, params: { room: otherRoom } });
    const elsewhere = await stored('elsewhere.txt', Buffer.from('other'), 'text/plain', member, otherRoom);
    expect((await send([{ id: elsewhere.uploadId }])).status).toBe(404);
    expect((await send([{ id: 'no-such-upload' }])).status).toBe(404);

    const once = await stored('once.txt', Buffer.from('once'), 'text/plain');
    expect((await send([{ id: once.uploadId }])).status).toBe(201);
    const twice = await send([{ id: once.uploadId }]);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('another message');

    const many = Array.from({ length: 11 }, (_, i) => ({ id: `u${i}` }));
    expect((await send(many)).status).toBe(400);
    expect((await send([{ id: once.uploadId }, { id: once.uploadId }])).status).toBe(400);
    // Without files, text is required as before.
    expect((await send([])).status).toBe(400);
  });

  it('refuses a reply to a missing message before anything about its files, and leaves them free', async () => {
    const replier = { id: 'dev-att-replier0000', name: 'Ray' };
    await call(postJoin, 'POST', `rooms/${room}/join`, { user: replier, params: { room } });
    const file = await stored('draft.txt', Buffer.from('draft'), 'text/plain', replier);
    const notStored = await upload({ name: 'later.txt', size: 5, type: 'text/plain' }, replier);
    const reply = (refs: unknown) =>
      call<Message & ErrorBody>(postMessage, 'POST', 'messages', {
        user: replier,
        body: { id: randomUUID(), room, text: 're', replyTo: randomUUID(), attachments: refs },
      });
    // Both the reply and a file are refused: the reply's 404 is the answer, as the checks run in that order.
    expect((await reply([{ id: file.uploadId }, { id: notStored.body.uploadId }])).status).toBe(404);
    expect((await reply([{ id: file.uploadId }])).status).toBe(404);
    // Neither refusal marked the file as theirs: the next message takes it.
    const sent = await send([{ id: file.uploadId }], replier);
    expect(sent.status).toBe(201);
    expect(sent.body.attachments?.[0].id).toBe(file.uploadId);
  });

  it('takes a small inline image upload as a thumbnail, and nothing else', async () => {
    const file = await stored('big.png', PNG, 'image/png');
    const pdfThumb = await stored('thumb.pdf', PDF, 'application/pdf');
    const refused = await send([{ id: file.uploadId, thumbnail: pdfThumb.uploadId }]);
    expect(refused.status).toBe(409);
    const thumb = await stored('thumb.png', PNG, 'image/png');
    const sent = await send([{ id: file.uploadId, thumbnail: thumb.uploadId }]);
    expect(sent.status).toBe(201);
    expect(sent.body.attachments?.[0].thumbnail).toBe(thumb.uploadId);
    expect((await attachment(thumb.uploadId, owner)).status).toBe(302);
  });
});

describe('deleting and leaving', () => {
  it('deleting the message deletes its blobs; no read URL is issued afterwards', async () => {
    const file = await stored('gone.png', PNG, 'image/png');
    const thumb = await stored('gone-thumb.png', PNG, 'image/png');
    const sent = await send([{ id: file.uploadId, thumbnail: thumb.uploadId }], member, randomUUID(), 'bye');
    const url = String(((await attachment(file.uploadId, owner)).headers as Record<string, string>)['location']);
    expect((await fetch(url)).status).toBe(200);
    const deleted = await call<Message>(deleteMessage, 'DELETE', `rooms/${room}/messages/${sent.body.id}`, {
      user: member,
      params: { room, id: sent.body.id },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.attachments).toBeUndefined();
    expect((await fetch(url)).status).toBe(404);
    const container = (await blobs()).container;
    for (const name of [file.url, thumb.url].map((u) =>
      decodeURIComponent(new URL(u).pathname.split('/attachments/')[1]),
    ))
      expect(await container.getBlobClient(name).exists()).toBe(false);
    expect((await attachment(file.uploadId, owner)).status).toBe(404);
    expect((await attachment(thumb.uploadId, member)).status).toBe(404);
  });

  it('someone who left the room gets no new upload or read URL', async () => {
    const file = await stored('kept.txt', Buffer.from('kept'), 'text/plain', leaver);
    expect((await send([{ id: file.uploadId }], leaver, randomUUID(), 'before leaving')).status).toBe(201);
    expect((await attachment(file.uploadId, leaver)).status).toBe(302);
    await call(postLeave, 'POST', `rooms/${room}/leave`, { user: leaver, params: { room } });
    expect((await upload({ name: 'a.txt', size: 1, type: 'text/plain' }, leaver)).status).toBe(403);
    expect((await attachment(file.uploadId, leaver)).status).toBe(403);
    expect((await attachment(file.uploadId, owner)).status).toBe(302);
  });
});

describe('abandoned uploads', () => {
  const blobName = (url: string) => decodeURIComponent(new URL(url).pathname.split('/attachments/')[1]);

  afterEach(() => jest.restoreAllMocks());

  it('a new upload in the room deletes the ones no message took within a day; sent and recent ones stay', async () => {
    const abandoned = await stored('abandoned.png', PNG, 'image/png', owner);
    const sentOne = await stored('kept-sent.png', PNG, 'image/png', owner);
    expect((await send([{ id: sentOne.uploadId }], owner)).status).toBe(201);
    const container = (await blobs()).container;
    expect(await container.getBlobClient(blobName(abandoned.url)).exists()).toBe(true);

    // A day and a bit later (the write URL's 10 minutes, then the grace period): someone uploads again.
    const later = Date.now() + UPLOAD_URL_TTL_MS + UNSENT_UPLOAD_TTL_MS + 60_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    // Until swept, the abandoned one can no longer be sent: it is about to go.
    const late = await send([{ id: abandoned.uploadId }], owner);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('too long ago');
    const fresh = await upload({ name: 'new.txt', size: 3, type: 'text/plain' }, member);
    expect(fresh.status).toBe(201);
    jest.restoreAllMocks();

    expect(await container.getBlobClient(blobName(abandoned.url)).exists()).toBe(false);
    expect((await attachment(abandoned.uploadId, owner)).status).toBe(404);
    expect(await container.getBlobClient(blobName(sentOne.url)).exists()).toBe(true);
    expect((await attachment(sentOne.uploadId, member)).status).toBe(302);
    // The upload issued "a day later" is recent to itself and stays.
    expect((await attachment(fresh.body.uploadId, member, { format: 'json' })).status).toBe(200);
  });

  it('the hourly timer sweeps rooms nobody uploads to again', async () => {
    const abandoned = await stored('quiet-room.png', PNG, 'image/png', owner);
    const sentOne = await stored('sent-quietly.png', PNG, 'image/png', owner);
    expect((await send([{ id: sentOne.uploadId }], owner)).status).toBe(201);
    const container = (await blobs()).container;
    const timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: null } as unknown as Timer;

    await sweepUploads(timer, invocation('sweepUploads'));
    expect(await container.getBlobClient(blobName(abandoned.url)).exists()).toBe(true);

    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + UPLOAD_URL_TTL_MS + UNSENT_UPLOAD_TTL_MS + 60_000);
    await sweepUploads(timer, invocation('sweepUploads'));
    jest.restoreAllMocks();

    expect(await container.getBlobClient(blobName(abandoned.url)).exists()).toBe(false);
    expect((await attachment(abandoned.uploadId, owner)).status).toBe(404);
    expect(await container.getBlobClient(blobName(sentOne.url)).exists()).toBe(true);
  });
});

describe('hostile uploads (security review)', () => {
  const blobName = (url: string) => decodeURIComponent(new URL(url).pathname.split('/attachments/')[1]);
  /** Every blob and snapshot stored for the upload. */
  const storedVersions = async (url: string) => {
    const found: string[] = [];
    const prefix = blobName(url);
    for await (const blob of (await blobs()).container.listBlobsFlat({ prefix, includeSnapshots: true })) {
      found.push(blob.snapshot ? `${blob.name}@${blob.snapshot}` : blob.name);
    }
    return found;
  };
  const complete = (uploadId: string, user = member) =>
    call<UploadComplete & ErrorBody>(postUploadComplete, 'POST', `rooms/${room}/uploads/${uploadId}/complete`, {
      user,
      params: { room, id: uploadId },
      body: {},
    });
  const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>');
  const OVERSIZE = Buffer.alloc(60 * 1024, 'a');

  afterEach(() => jest.restoreAllMocks());

  it('a snapshot made with the write URL goes with its blob when the message is deleted', async () => {
    const file = await stored('snap.png', PNG, 'image/png');
    // Azure's `c` (and `w`) permission allows Snapshot Blob, and Azurite enforces the same table:
    // the write URL can snapshot the blob it created. Deletion therefore takes snapshots along.
    const snapshot = await fetch(`${file.url}&comp=snapshot`, { method: 'PUT' });
    expect(snapshot.status).toBe(201);
    expect(await storedVersions(file.url)).toHaveLength(2);

    const sent = await send([{ id: file.uploadId }], member, randomUUID(), 'with a snapshot');
    expect(sent.status).toBe(201);
    const deleted = await call<Message>(deleteMessage, 'DELETE', `rooms/${room}/messages/${sent.body.id}`, {
      user: member,
      params: { room, id: sent.body.id },
    });
    expect(deleted.status).toBe(200);
    expect(await storedVersions(file.url)).toEqual([]);
    // The row went too: nothing is left for a sweep to trip on.
    expect((await attachment(file.uploadId, member)).status).toBe(404);
  });

  it('a snapshot of an abandoned upload is swept with it', async () => {
    const file = await stored('snap-abandoned.txt', Buffer.from('left'), 'text/plain', owner);
    expect((await fetch(`${file.url}&comp=snapshot`, { method: 'PUT' })).status).toBe(201);
    const later = Date.now() + UPLOAD_URL_TTL_MS + UNSENT_UPLOAD_TTL_MS + 60_000;
    const swept = await sweepAbandonedUploads(room, later, () => undefined);
    expect(swept.failed).toBe(0);
    expect(await storedVersions(file.url)).toEqual([]);
  });

  it('a file larger than declared is refused at once and nothing of it stays', async () => {
    const issued = await upload({ name: 'tiny.txt', size: 10, type: 'text/plain' });
    // Reported before anything is stored: 409, and the upload is kept for the PUT to come.
    const early = await complete(issued.body.uploadId);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('not stored yet');
    // Nothing in a SAS bounds what is PUT: Blob Storage stores it.
    expect((await put(issued.body.url, OVERSIZE, 'text/plain')).status).toBe(201);
    const refused = await complete(issued.body.uploadId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`stored with ${OVERSIZE.length} bytes, not the 10 declared`);
    expect(await storedVersions(issued.body.url)).toEqual([]);
    // The upload is gone: a message naming it finds nothing.
    expect((await send([{ id: issued.body.uploadId }])).status).toBe(404);
    expect((await complete(issued.body.uploadId)).status).toBe(404);
  });

  it('a client that never reports its PUT: the message naming it, or the sweep after its URL expired, deletes it', async () => {
    const named = await upload({ name: 'named.txt', size: 10, type: 'text/plain' });
    await put(named.body.url, OVERSIZE, 'text/plain');
    const sent = await send([{ id: named.body.uploadId }]);
    expect(sent.status).toBe(409);
    expect(sent.body.error.message).toContain('not the 10 declared');
    expect(await storedVersions(named.body.url)).toEqual([]);

    const silent = await upload({ name: 'silent.txt', size: 10, type: 'text/plain' });
    await put(silent.body.url, OVERSIZE, 'text/plain');
    const good = await upload({ name: 'good.txt', size: 4, type: 'text/plain' });
    await put(good.body.url, Buffer.from('good'), 'text/plain');
    // Before the write URL has expired (and the few minutes' grace), the sweep leaves both alone.
    await upload({ name: 'next.txt', size: 3, type: 'text/plain' });
    expect(await storedVersions(silent.body.url)).toHaveLength(1);
    // Then the next upload in the room checks them: the wrong one goes, the right one stays, verified.
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + UPLOAD_URL_TTL_MS + UPLOAD_CHECK_DELAY_MS + 1000);
    expect((await upload({ name: 'next.txt', size: 3, type: 'text/plain' })).status).toBe(201);
    jest.restoreAllMocks();
    expect(await storedVersions(silent.body.url)).toEqual([]);
    expect((await attachment(silent.body.uploadId, member)).status).toBe(404);
    expect(await storedVersions(good.body.url)).toHaveLength(1);
    expect((await send([{ id: good.body.uploadId }])).status).toBe(201);
  });

  it('an SVG declared and stored as a PNG is refused and deleted; a real PNG passes and is shown inline', async () => {
    const svg = await stored('cat.png', SVG, 'image/png');
    const refused = await complete(svg.uploadId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('not a image/png file');
    expect(await storedVersions(svg.url)).toEqual([]);

    // Sent without reporting the PUT: refused (and deleted) when the message names it.
    const unreported = await stored('dog.png', SVG, 'image/png');
    const sent = await send([{ id: unreported.uploadId }]);
    expect(sent.status).toBe(409);
    expect(sent.body.error.message).toContain('not a image/png file');
    expect(await storedVersions(unreported.url)).toEqual([]);

    const png = await stored('real.png', PNG, 'image/png');
    const passed = await complete(png.uploadId);
    expect(passed.status).toBe(200);
    expect(passed.body).toEqual({ uploadId: png.uploadId, name: 'real.png', size: PNG.length, type: 'image/png' });
    const read = await fetch((await attachment(png.uploadId, member, { format: 'json' })).body.url);
    expect(read.headers.get('content-disposition')).toMatch(/^inline;/);
    // Someone else's upload is not theirs to report.
    expect((await complete(png.uploadId, owner)).status).toBe(403);
  });

  it('refuses a file name with bidi controls or zero-width characters, as display names are', async () => {
    const bidi = await upload({ name: 'invoice\u202Efdp.zip', size: 10, type: 'application/zip' });
    expect(bidi.status).toBe(400);
    expect(bidi.body.error.message).toBe('name must not contain bidirectional control characters');
    const hidden = await upload({ name: 'in\u200Bvoice.pdf', size: 10, type: 'application/pdf' });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.message).toBe('name must not contain zero-width characters');
  });

  it('read URLs sign Cache-Control: private, no-store, whatever the uploader stored, and serve video inline (it plays in the message)', async () => {
    const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(20)]);
    const issued = await upload({ name: 'clip.mp4', size: MP4.length, type: 'video/mp4' });
    expect(issued.status).toBe(201);
    const stored = await fetch(issued.body.url, {
      method: 'PUT',
      headers: {
        'x-ms-blob-type': 'BlockBlob',
        'content-type': 'video/mp4',
        'x-ms-blob-cache-control': 'public, max-age=31536000, immutable',
      },
      body: MP4,
    });
    expect(stored.status).toBe(201);
    expect((await complete(issued.body.uploadId)).status).toBe(200);
    const { url } = (await attachment(issued.body.uploadId, member, { format: 'json' })).body;
    expect(new URL(url).searchParams.get('rscc')).toBe('private, no-store');
    const read = await fetch(url);
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('private, no-store');
    expect(read.headers.get('content-type')).toBe('video/mp4');
    expect(read.headers.get('content-disposition')).toMatch(/^inline; filename="clip.mp4"/);
  });

  it('one row that cannot be swept is logged and counted; the sweep goes on, in its room and across rooms', async () => {
    const container = (await blobs()).container;
    const uploads = await table('uploads');
    const expired = new Date(Date.now() - UPLOAD_URL_TTL_MS).toISOString();
    // A row that sorts first, in its room and across rooms, whose blob cannot be deleted (leased).
    const badRoom = 'attach-0bad';
    const bad = async (partitionKey: string) => {
      const name = `${partitionKey}/-bad-${randomUUID()}/leased.txt`;
      await container.getBlockBlobClient(name).upload('x', 1);
      const lease = container.getBlobClient(name).getBlobLeaseClient();
      await lease.acquireLease(-1);
      const rowKey = `-bad-${randomUUID()}`;
      await uploads.createEntity({
        partitionKey,
        rowKey,
        uploaderId: owner.id,
        name: 'leased.txt',
        size: 1,
        type: 'text/plain',
        blobName: name,
        expiresAt: expired,
        pending: true,
        blobState: 'verified',
      });
      return { name, rowKey, lease };
    };
    const inRoom = await bad(room);
    const inOtherRoom = await bad(badRoom);
    const abandoned = await stored('after-the-bad-one.txt', Buffer.from('next'), 'text/plain', owner);
    const later = Date.now() + UPLOAD_URL_TTL_MS + UNSENT_UPLOAD_TTL_MS + 60_000;

    const lines: string[] = [];
    const swept = await sweepAbandonedUploads(room, later, (line) => lines.push(line));
    expect(swept.failed).toBe(1);
    expect(swept.deleted).toBeGreaterThanOrEqual(1);
    expect(lines.join('\n')).toContain(`upload ${room}/${inRoom.rowKey} was not swept`);
    expect(await storedVersions(abandoned.url)).toEqual([]);

    // Across rooms (the timer): the bad row of an earlier room does not stop the later ones.
    const again = await stored('after-the-bad-room.txt', Buffer.from('next'), 'text/plain', owner);
    const warnings: string[] = [];
    const context = new InvocationContext({
      functionName: 'sweepUploads',
      invocationId: 'test-sweep',
      logHandler: (level, ...args) => {
        if (level === 'warning') warnings.push(args.join(' '));
      },
    });
    jest.spyOn(Date, 'now').mockReturnValue(later);
    await sweepUploads({ isPastDue: false } as unknown as Timer, context);
    jest.restoreAllMocks();
    expect(warnings.join('\n')).toContain(`upload ${badRoom}/${inOtherRoom.rowKey} was not swept`);
    expect(warnings.join('\n')).toMatch(/sweepUploads: \d+ uploads could not be swept/);
    expect(await storedVersions(again.url)).toEqual([]);

    // Once the lease is gone, the next sweep takes the rows that failed.
    for (const { lease } of [inRoom, inOtherRoom]) await lease.releaseLease();
    const after = await sweepAbandonedUploads(undefined, later, () => undefined);
    expect(after.failed).toBe(0);
    for (const { name } of [inRoom, inOtherRoom]) expect(await container.getBlobClient(name).exists()).toBe(false);
  });
});
