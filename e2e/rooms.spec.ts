import { createRoom, messageText, openRoom, roomButton, send } from './chat-page';
import { expect, freePorts, newDataDir, removeDataDir, signIn, startTestStack, test, withPeople } from './stack';

test('a person outside a room never sees its messages; a member who joins does', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const room = `secret-${Date.now()}`;
    await createRoom(ann.page, room);
    const secret = `for members only ${Date.now()}`;
    await send(ann.page, secret);
    await expect(messageText(ann.page, secret)).toHaveCount(1);
    // A general message sent after the secret one reaches Ben: once it is there, the secret had its chance.
    await openRoom(ann.page, 'general');
    const marker = `general marker ${Date.now()}`;
    await send(ann.page, marker);
    await expect(messageText(ben.page, marker)).toHaveCount(1);
    await expect(messageText(ben.page, secret)).toHaveCount(0);
    const status = await ben.page.evaluate(async (r) => (await fetch(`/api/rooms/${r}/messages`)).status, room);
    expect(status).toBe(403);

    // The new room showed up in Ben's sidebar by itself (roomCreated); opening it joins it.
    await expect(roomButton(ben.page, room)).toBeVisible();
    await openRoom(ben.page, room);
    await expect(messageText(ben.page, secret)).toHaveCount(1);
  });
});

test('a direct message reaches only its recipient', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben', 'Cat'], async ([ann, ben, cat]) => {
    const benRow = ann.page.getByTestId('user').filter({ hasText: 'Ben' });
    await expect(benRow).toBeVisible();
    await benRow.getByTestId('start-dm').click();
    // The direct message is open once its title names Ben; a message sent before that goes elsewhere.
    await expect(ann.page.getByTestId('room-title')).toContainText('Ben');
    const text = `just for Ben ${Date.now()}`;
    await send(ann.page, text);
    await expect(messageText(ann.page, text)).toHaveCount(1);

    // Ben sees the DM room appear (or after a reload) and the message in it.
    const dm = ben.page.getByTestId('room').filter({ hasText: 'Ann' });
    await expect(dm).toBeVisible({ timeout: 10_000 });
    await dm.click();
    await expect(messageText(ben.page, text)).toHaveCount(1);

    const marker = `general marker ${Date.now()}`;
    await openRoom(ann.page, 'general');
    await send(ann.page, marker);
    await expect(messageText(cat.page, marker)).toHaveCount(1);
    await expect(messageText(cat.page, text)).toHaveCount(0);
    await expect(cat.page.getByTestId('room').filter({ hasText: 'Ann' })).toHaveCount(0);
  });
});

test('a message typed right after asking for a direct message goes there, never to the room on screen', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const benRow = ann.page.getByTestId('user').filter({ hasText: 'Ben' });
    await expect(benRow).toBeVisible();
    await benRow.getByTestId('start-dm').click();
    const text = `straight away ${Date.now()}`;
    await send(ann.page, text); // no waiting for the DM to open, as a quick typist would
    await expect(ann.page.getByTestId('room-title')).toContainText('Ben');
    await expect(messageText(ann.page, text)).toHaveCount(1);
    await openRoom(ann.page, 'general');
    await expect(messageText(ann.page, text)).toHaveCount(0);
    await expect(messageText(ben.page, text)).toHaveCount(0);
  });
});

test('typing shows in the other browser, not in the typist’s own', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    await ann.page.getByTestId('composer-input').pressSequentially('I am typ', { delay: 30 });
    await expect(ben.page.getByTestId('typing-indicator')).toContainText('Ann');
    await expect(ann.page.getByTestId('typing-indicator')).not.toContainText('Ann');
  });
});

test('closing a browser turns its person offline in the other', async ({ browser, stack }) => {
  const ann = await signIn(browser, stack.urls.app, 'Ann');
  const ben = await signIn(browser, stack.urls.app, 'Ben');
  try {
    const benAtAnn = ann.page.getByTestId('user').filter({ hasText: 'Ben' });
    await expect(benAtAnn).toHaveAttribute('data-online', 'true');
    await ben.context.close();
    await expect(benAtAnn).toHaveAttribute('data-online', 'false', { timeout: 10_000 });
  } finally {
    await ann.context.close();
  }
});

test('flooding the composer shows a rate-limit message and loses nothing that was accepted', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Flo', 'Ben'], async ([ann, ben]) => {
    const stamp = Date.now();
    for (let i = 0; i < 25; i++) await send(ann.page, `flood ${stamp} #${i}`);
    await expect(ann.page.getByTestId('composer-error')).toContainText(/try again in \d+/i);
    // Everything the server accepted is in Ben's view and in history.
    const history = (await ann.page.evaluate(async () =>
      (await fetch('/api/rooms/general/messages?limit=200')).json(),
    )) as {
      messages: { text: string }[];
    };
    const accepted = history.messages.filter((m) => m.text.startsWith(`flood ${stamp}`)).map((m) => m.text);
    expect(accepted.length).toBeGreaterThanOrEqual(20);
    for (const text of accepted) await expect(messageText(ben.page, text)).toHaveCount(1);
  });
});

test('history survives stopping and restarting the whole stack', async ({ browser }) => {
  test.setTimeout(180_000);
  const dataDir = await newDataDir();
  const ports = await freePorts();
  let stack = await startTestStack({}, dataDir, ports);
  const text = `remember me ${Date.now()}`;
  try {
    const ann = await signIn(browser, stack.urls.app, 'Ann');
    await send(ann.page, text);
    await expect(messageText(ann.page, text)).toHaveCount(1);
    await expect(ann.page.getByTestId('message').filter({ hasText: text })).toHaveAttribute('data-status', 'sent');
    await ann.context.close();
    await stack.stop();

    stack = await startTestStack({}, dataDir, ports);
    const ben = await signIn(browser, stack.urls.app, 'Ben');
    await expect(messageText(ben.page, text)).toHaveCount(1);
    await ben.context.close();
  } finally {
    await stack.stop();
    await removeDataDir(dataDir);
  }
});
