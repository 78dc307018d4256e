import { message, messageText, send } from './chat-page';
import { expect, signIn, test } from './stack';

test('blocking someone hides their messages behind "show" and stops their DMs, until unblocked', async ({
  browser,
  stack,
}) => {
  const app = stack.urls.app;
  const suffix = Date.now();
  // Names no other spec looks people up by: the stack (and its people list) is shared by every spec.
  const ann = await signIn(browser, app, `Abe ${suffix}`);
  const ben = await signIn(browser, app, `Bea ${suffix}`);
  try {
    const text = `hello from Bea ${suffix}`;
    await send(ben.page, text);
    const hisMessage = message(ann.page, text);
    await expect(hisMessage).toBeVisible();
    const id = await hisMessage.getAttribute('data-message-id');
    const atAnn = ann.page.locator(`[data-testid="message"][data-message-id="${id}"]`);

    const benInList = ann.page.getByTestId('user').filter({ hasText: `Bea ${suffix}` });
    await benInList.getByRole('button', { name: `Block Bea ${suffix}` }).click();
    await expect(benInList.getByRole('button', { name: `Unblock Bea ${suffix}` })).toBeVisible();
    await expect(atAnn.getByTestId('message-blocked')).toContainText('Blocked message');
    await expect(messageText(ann.page, text)).toHaveCount(0);
    await atAnn.getByTestId('show-blocked').click();
    await expect(messageText(ann.page, text)).toBeVisible();

    // Ben can no longer open a direct message with Ann: the server refuses, the page says so.
    const annInList = ben.page.getByTestId('user').filter({ hasText: `Abe ${suffix}` });
    await annInList.getByRole('button', { name: `Message Abe ${suffix}` }).click();
    await expect(ben.page.getByTestId('room-error')).toContainText("You can't message this person");

    // Unblocked (the server agrees: Ben's DM opens).
    await benInList.getByRole('button', { name: `Unblock Bea ${suffix}` }).click();
    await expect(benInList.getByRole('button', { name: `Message Bea ${suffix}` })).toBeVisible();
    await annInList.getByRole('button', { name: `Message Abe ${suffix}` }).click();
    await expect(ben.page.getByTestId('room-title')).toContainText(`Abe ${suffix}`);
  } finally {
    await ann.context.close();
    await ben.context.close();
  }
});
