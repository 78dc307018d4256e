import AxeBuilder from '@axe-core/playwright';
import { type Locator, type Page } from '@playwright/test';

import { createRoom, messageText, openRoom, roomButton } from './chat-page';
import { expect, test, withPeople } from './stack';

/** The message (found by its caption) and the images it shows. */
function messageWith(page: Page, caption: string): Locator {
  return page.getByTestId('message').filter({ has: messageText(page, caption) });
}

/**
 * Pastes a PNG of `width` x `height` drawn in the page into the message box, as the browser does for
 * a screenshot: a real ClipboardEvent whose DataTransfer carries a File. `noisy` makes it large.
 */
async function pasteImage(page: Page, name: string, width: number, height: number, noisy = false): Promise<void> {
  await page.getByTestId('composer-input').evaluate(
    async (box, { name, width, height, noisy }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      if (noisy) {
        const pixels = context.createImageData(width, height);
        for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (i * 2654435761) >>> 24;
        context.putImageData(pixels, 0, 0);
      } else {
        context.fillStyle = '#3b5bdb';
        context.fillRect(0, 0, width, height);
      }
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      if (!blob) throw new Error('no PNG');
      const data = new DataTransfer();
      data.items.add(new File([blob], name, { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { name, width, height, noisy },
  );
}

/**
 * Drags a file over the conversation (the drop zone shows) and drops it. Its bytes start with
 * `header` (by default the signature of its type, which the server checks) and go on with `%`.
 */
async function dropFile(
  page: Page,
  name: string,
  type: string,
  bytes: number,
  header = type === 'application/pdf' ? '%PDF-1.7\n' : '',
): Promise<void> {
  const conversation = page.locator('main.conversation');
  const transfer = await page.evaluateHandle(
    ({ name, type, bytes, header }) => {
      const body = new Uint8Array(bytes).fill(37);
      body.set(new TextEncoder().encode(header));
      const data = new DataTransfer();
      data.items.add(new File([body], name, { type }));
      return data;
    },
    { name, type, bytes, header },
  );
  await conversation.dispatchEvent('dragenter', { dataTransfer: transfer });
  await conversation.dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-zone')).toBeVisible();
  await conversation.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-zone')).toHaveCount(0);
}

async function sendCaption(page: Page, caption: string): Promise<void> {
  await page.getByTestId('composer-input').fill(caption);
  await page.getByTestId('composer-input').press('Enter');
}

test('a pasted screenshot reaches the other browser with its size reserved; only members can read it; the viewer is accessible', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben', 'Cat'], async ([ann, ben, cat]) => {
    const room = `pics-${Date.now()}`;
    await createRoom(ann.page, room);
    await expect(roomButton(ben.page, room)).toBeVisible();
    await openRoom(ben.page, room);

    // A large screenshot: measured and given a thumbnail in the browser before upload.
    await pasteImage(ann.page, 'screenshot.png', 1200, 800, true);
    await expect(ann.page.getByTestId('upload').filter({ hasText: 'screenshot.png' })).toBeVisible();
    const caption = `look at this ${Date.now()}`;
    await sendCaption(ann.page, caption);

    const image = messageWith(ben.page, caption).getByTestId('attachment-image').locator('img');
    await expect(image).toHaveCount(1);
    // Reserved before it loads: 1200 x 800 shown in a 320 x 240 box is 320 x 213.
    await expect(image).toHaveAttribute('width', '320');
    await expect(image).toHaveAttribute('height', '213');
    const box = await image.boundingBox();
    expect(box && Math.round(box.height)).toBe(213);
    // It loads (through the attachment route's redirect to a read SAS, allowed by the CSP) as the thumbnail.
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
    expect(Math.round((await image.boundingBox())?.height ?? 0)).toBe(213);
    const src = await image.getAttribute('src');
    expect(src).toMatch(new RegExp(`^/api/rooms/${room}/attachments/[\\w-]+$`));

    // Cat is not in the room: 403 and no bytes. Signed out: 401 and no bytes.
    const outsider = await cat.page.evaluate(async (url) => {
      const response = await fetch(url, { redirect: 'manual' });
      return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
    }, src ?? '');
    expect(outsider.status).toBe(403);
    expect(outsider.type).toContain('application/json');
    expect(outsider.body).not.toContain('PNG');
    const anonymous = await browser.newContext();
    try {
      const response = await anonymous.request.get(`${stack.urls.app}${src ?? ''}`, { maxRedirects: 0 });
      expect(response.status()).toBe(401);
      expect(response.headers()['location']).toBeUndefined();
      expect((await response.body()).includes(Buffer.from('PNG'))).toBe(false);
    } finally {
      await anonymous.close();
    }

    // The viewer: a modal dialog with the full image; Escape closes it and focus returns to the image.
    const opener = messageWith(ben.page, caption).getByTestId('attachment-image');
    await opener.focus();
    await ben.page.keyboard.press('Enter');
    const viewer = ben.page.getByRole('dialog', { name: 'screenshot.png' });
    await expect(viewer).toBeVisible();
    const full = viewer.locator('img.full');
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1200);
    const audit = await new AxeBuilder({ page: ben.page }).analyze();
    expect(
      audit.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    ).toEqual([]);
    await ben.page.keyboard.press('Escape');
    await expect(viewer).toHaveCount(0);
    await expect(opener).toBeFocused();
  });
});

test('a dropped PDF arrives as a card with its name, size and a download link', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Dee', 'Eve'], async ([dee, eve]) => {
    await dropFile(dee.page, 'quarterly report.pdf', 'application/pdf', 1536);
    await expect(dee.page.getByTestId('upload').filter({ hasText: 'quarterly report.pdf' })).toHaveAttribute(
      'data-status',
      'stored',
    );
    // No words needed: the file is the message.
    await expect(dee.page.getByTestId('composer-send')).toBeEnabled();
    await dee.page.getByTestId('composer-send').click();
    await expect(dee.page.getByTestId('attachment-tray')).toHaveCount(0);

    const card = eve.page.getByTestId('attachment-file').filter({ hasText: 'quarterly report.pdf' });
    await expect(card).toBeVisible();
    await expect(card.getByTestId('attachment-size')).toHaveText('1.5 KB');
    const link = card.getByTestId('attachment-download');
    await expect(link).toHaveAttribute('download', 'quarterly report.pdf');
    const download = eve.page.waitForEvent('download');
    await link.click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('quarterly report.pdf');
    const path = await file.path();
    const { stat } = await import('node:fs/promises');
    expect((await stat(path)).size).toBe(1536);
  });
});

test('an upload cut off by going offline fails visibly with Retry, then goes out once online; the message is sent once', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Fay', 'Gus'], async ([fay, gus]) => {
    const blobOrigin = new URL(stack.urls.blobs).origin;
    // Hold the first PUT of the file until the browser is offline, then let it die as a lost connection would.
    let release: (() => void) | undefined;
    const offline = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    await fay.page.route(
      (url) => url.origin === blobOrigin,
      async (route) => {
        if (route.request().method() !== 'PUT' || held > 0) return route.continue();
        held++;
        await offline;
        await route.abort('internetdisconnected');
      },
    );
    await dropFile(fay.page, 'notes.txt', 'text/plain', 2048);
    const caption = `notes for you ${Date.now()}`;
    await sendCaption(fay.page, caption);
    await expect(fay.page.getByTestId('waiting-message')).toContainText(caption);
    await expect.poll(() => held).toBe(1);

    await fay.context.setOffline(true);
    release?.();
    const upload = fay.page.getByTestId('upload').filter({ hasText: 'notes.txt' });
    await expect(upload).toHaveAttribute('data-status', 'failed');
    await expect(upload.getByTestId('upload-error')).toHaveText('The connection was lost while uploading');
    await expect(upload.getByTestId('upload-retry')).toBeVisible();
    await expect(messageText(gus.page, caption)).toHaveCount(0);

    // Back online: the upload starts over by itself and the waiting message goes out, once.
    await fay.context.setOffline(false);
    await expect(gus.page.getByTestId('attachment-file').filter({ hasText: 'notes.txt' })).toBeVisible({
      timeout: 20_000,
    });
    await expect(messageText(gus.page, caption)).toHaveCount(1);
    await expect(fay.page.getByTestId('waiting-message')).toHaveCount(0);
    await expect(messageText(fay.page, caption)).toHaveCount(1);
  });
});

test('a file that is not what its type says is refused once stored, and can be removed', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Gus'], async ([gus]) => {
    await dropFile(gus.page, 'invoice.pdf', 'application/pdf', 1536, '<svg xmlns="http://www.w3.org/2000/svg">');
    const upload = gus.page.getByTestId('upload').filter({ hasText: 'invoice.pdf' });
    await expect(upload.getByTestId('upload-error')).toContainText('deleted');
    await expect(upload).toHaveAttribute('data-status', 'failed');
    await upload.getByTestId('upload-remove').click();
    await expect(gus.page.getByTestId('attachment-tray')).toHaveCount(0);
  });
});

test('progress is real and Cancel stops an upload; a file over the limit is refused before any upload', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Hal'], async ([hal]) => {
    const size = 3 * 1024 * 1024;
    // A slow uplink (CDP network emulation): the real PUT takes seconds, and its progress shows.
    const cdp = await hal.context.newCDPSession(hal.page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 512 * 1024,
    });
    await hal.page.getByTestId('attach-input').setInputFiles({
      name: 'archive.zip',
      mimeType: 'application/zip',
      buffer: Buffer.alloc(size, 1),
    });
    const upload = hal.page.getByTestId('upload').filter({ hasText: 'archive.zip' });
    const progress = upload.getByTestId('upload-progress');
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(Number(await progress.getAttribute('value'))).toBeLessThan(size);
    await expect(progress).toHaveAttribute('max', String(size));
    const aborted = hal.page.waitForEvent('requestfailed', (request) => request.method() === 'PUT');
    await upload.getByTestId('upload-cancel').click();
    await expect(upload).toHaveCount(0);
    expect((await aborted).failure()?.errorText).toContain('ABORTED');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    // Over 25 MB: the contract's words, and no upload is even asked for.
    let asked = 0;
    hal.page.on('request', (request) => {
      if (request.url().includes('/uploads')) asked++;
    });
    await hal.page.getByTestId('attach-input').setInputFiles({
      name: 'huge.zip',
      mimeType: 'application/zip',
      buffer: Buffer.alloc(25 * 1024 * 1024 + 1),
    });
    const refused = hal.page.getByTestId('upload').filter({ hasText: 'huge.zip' });
    await expect(refused.getByTestId('upload-error')).toHaveText('A file can be at most 25 MB');
    await expect(refused.getByTestId('upload-retry')).toHaveCount(0);
    expect(asked).toBe(0);
    await refused.getByTestId('upload-remove').click();
    await expect(hal.page.getByTestId('attachment-tray')).toHaveCount(0);
  });
});

test('across a reload a waiting message keeps its caption and stored files; a file cut off is chosen again and the message goes once', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ivy', 'Jay'], async ([ivy, jay]) => {
    const blobOrigin = new URL(stack.urls.blobs).origin;
    // cut.txt never finishes uploading before the page goes away.
    const cutOff = (url: URL) => url.origin === blobOrigin && url.pathname.endsWith('/cut.txt');
    await ivy.page.route(cutOff, () => new Promise<void>(() => undefined));
    await dropFile(ivy.page, 'kept.txt', 'text/plain', 100);
    await expect(ivy.page.getByTestId('upload').filter({ hasText: 'kept.txt' })).toHaveAttribute(
      'data-status',
      'stored',
    );
    await dropFile(ivy.page, 'cut.txt', 'text/plain', 200);
    await expect(ivy.page.getByTestId('upload').filter({ hasText: 'cut.txt' })).toHaveAttribute(
      'data-status',
      'uploading',
    );
    const caption = `two files ${Date.now()}`;
    await sendCaption(ivy.page, caption);
    await expect(ivy.page.getByTestId('waiting-message')).toContainText(caption);

    await ivy.page.reload();
    await ivy.page
      .getByTestId('connection-state')
      .filter({ hasText: /^\s*connected\s*$/ })
      .waitFor();
    const waiting = ivy.page.getByTestId('waiting-message');
    await expect(waiting).toContainText(caption);
    await expect(waiting.getByTestId('upload').filter({ hasText: 'kept.txt' })).toHaveAttribute(
      'data-status',
      'stored',
    );
    const cut = waiting.getByTestId('upload').filter({ hasText: 'cut.txt' });
    await expect(cut.getByTestId('upload-error')).toHaveText(
      'The page was closed before this file finished uploading — choose it again',
    );
    await expect(cut.getByTestId('upload-retry')).toHaveCount(0);
    await expect(cut.getByTestId('upload-choose-again')).toBeVisible();
    await expect(messageText(jay.page, caption)).toHaveCount(0);

    // Choosing the file again uploads it in its place; then the message goes, once, with both files.
    await ivy.page.unroute(cutOff);
    await cut.getByTestId('upload-choose-input').setInputFiles({
      name: 'cut.txt',
      mimeType: 'text/plain',
      buffer: Buffer.alloc(200, 65),
    });
    const arrived = jay.page.getByTestId('message').filter({ has: messageText(jay.page, caption) });
    await expect(arrived.getByTestId('attachment-name')).toHaveText(['kept.txt', 'cut.txt']);
    await expect(waiting).toHaveCount(0);
    await expect(messageText(ivy.page, caption)).toHaveCount(1);
    await ivy.page.reload();
    await expect(messageText(ivy.page, caption)).toHaveCount(1);
    await expect(ivy.page.getByTestId('waiting-message')).toHaveCount(0);
    await expect(messageText(jay.page, caption)).toHaveCount(1);
  });
});
