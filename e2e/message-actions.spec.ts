import { randomUUID } from 'node:crypto';

import AxeBuilder from '@axe-core/playwright';

import { STORAGE_SETTING } from '../functions/platform/storage/tables';
import type { RunningStack } from '../local/stack/stack';
import {
  createRoom,
  deleteMessage,
  editMessage,
  message,
  messageText,
  openMessageMenu,
  openRoom,
  pickEmoji,
  react,
  reaction,
  roomButton,
  send,
} from './chat-page';
import { expect, test as base, withPeople, withTestStack } from './stack';

const test = base.extend<{ ownStack: RunningStack }>({
  ownStack: async ({}, use) => withTestStack(use),
});

async function sent(page: import('@playwright/test').Page, text: string): Promise<void> {
  await expect(message(page, text)).toHaveAttribute('data-status', 'sent', { timeout: 15_000 });
}

test('the author edits a message: everyone sees the new text and an edited mark, live and in history', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const p = `edit ${Date.now()}`;
    await send(ann.page, `${p} typo`);
    await sent(ann.page, `${p} typo`);
    await expect(messageText(ben.page, `${p} typo`)).toBeVisible();
    // Only the author may edit.
    await openMessageMenu(ben.page, `${p} typo`);
    await expect(message(ben.page, `${p} typo`).getByTestId('menu-edit')).toHaveCount(0);
    await ben.page.keyboard.press('Escape');

    await editMessage(ann.page, `${p} typo`, `${p} fixed`);
    for (const page of [ann.page, ben.page]) {
      await expect(messageText(page, `${p} fixed`)).toBeVisible();
      await expect(message(page, `${p} fixed`).getByTestId('message-edited')).toContainText('edited');
    }
    // From the keyboard: Up in the empty composer edits the last own message; Escape cancels.
    const id = await message(ann.page, `${p} fixed`).getAttribute('data-message-id');
    await ann.page.getByTestId('composer-input').focus();
    await ann.page.keyboard.press('ArrowUp');
    const editor = ann.page.locator(`[data-message-id="${id}"] [data-testid="edit-input"]`);
    await expect(editor).toBeFocused();
    await ann.page.keyboard.press('Escape');
    await expect(editor).toHaveCount(0);
    await ann.page.getByTestId('composer-input').focus();
    await ann.page.keyboard.press('ArrowUp');
    await editor.fill(`${p} twice`);
    await ann.page.keyboard.press('Enter');

    await expect(messageText(ben.page, `${p} twice`)).toBeVisible();
    await ben.page.reload();
    await expect(messageText(ben.page, `${p} twice`)).toBeVisible();
    await expect(message(ben.page, `${p} twice`).getByTestId('message-edited')).toBeVisible();
    await expect(messageText(ben.page, `${p} typo`)).toHaveCount(0);
  });
});

test('an edit that adds @Ann mentions her (badge, chip, picked from the @ list in the edit box); taking it out un-mentions her', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const room = `edit-mention-${Date.now()}`;
    await createRoom(ben.page, room);
    await roomButton(ann.page, room).click();
    await openRoom(ann.page, room);
    // Ann reads elsewhere: the room's counts show in her sidebar.
    await openRoom(ann.page, 'general');
    const unread = roomButton(ann.page, room).getByTestId('room-unread');
    const mentions = roomButton(ann.page, room).getByTestId('room-mentions');
    const p = `plans ${Date.now()}`;
    await send(ben.page, `${p} for friday`);
    await sent(ben.page, `${p} for friday`);
    await expect(unread).toHaveText('1');
    await expect(mentions).toHaveCount(0);

    // Ben adds Ann from the @ list of the edit box: the list asks the server for the members (Ann joined after Ben opened the room).
    const item = await openMessageMenu(ben.page, `${p} for friday`);
    await item.getByTestId('menu-edit').click();
    const box = item.getByTestId('edit-input');
    await expect(box).toBeFocused();
    await box.pressSequentially(' @');
    await expect(item.getByRole('option')).toHaveText(['@Ann', /^@room/]);
    // The first message sits at the top of the list: the @ list still shows whole, inside it.
    const list = (await item.getByRole('listbox').boundingBox())!;
    const log = (await ben.page.getByTestId('message-list').boundingBox())!;
    expect(list.y).toBeGreaterThanOrEqual(log.y);
    expect(list.y + list.height).toBeLessThanOrEqual(log.y + log.height);
    await box.pressSequentially('An');
    await expect(box).toHaveAttribute('aria-expanded', 'true');
    await expect(item.getByRole('option', { name: '@Ann' })).toHaveAttribute('aria-selected', 'true');
    await box.press('Enter');
    await expect(box).toHaveValue(`${p} for friday @Ann `);
    await expect(box).toHaveAttribute('aria-expanded', 'false');
    await box.press('Enter');
    await expect(message(ben.page, `${p} for friday @Ann`).getByTestId('mention')).toHaveText('@Ann');

    // Ann: the message now mentions her, counted once.
    await expect(mentions).toHaveText('@1');
    await expect(unread).toHaveText('1');
    await ann.page.reload();
    await expect(mentions).toHaveText('@1');

    // Taken out again: still unread, no longer a mention, live and after a reload.
    await editMessage(ben.page, `${p} for friday @Ann`, `${p} for saturday`);
    await expect(mentions).toHaveCount(0);
    await expect(unread).toHaveText('1');
    await ann.page.reload();
    await expect(unread).toHaveText('1');
    await expect(mentions).toHaveCount(0);
    await openRoom(ann.page, room);
    await expect(message(ann.page, `${p} for saturday`).getByTestId('mention')).toHaveCount(0);
  });
});

test('the author deletes their own message, the room owner anyone’s (also after a reload), and no one else is offered it', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const room = `owned-${Date.now()}`;
    await createRoom(ann.page, room);
    await roomButton(ben.page, room).click();
    await expect(roomButton(ben.page, room)).toBeVisible();
    await openRoom(ben.page, room);
    const p = `delete ${Date.now()}`;
    for (const text of [`${p} ben one`, `${p} ben two`]) {
      await send(ben.page, text);
      await sent(ben.page, text);
    }
    await send(ann.page, `${p} ann`);
    await sent(ann.page, `${p} ann`);
    await expect(messageText(ben.page, `${p} ann`)).toBeVisible();

    // The author's own.
    const own = await deleteMessage(ben.page, `${p} ben one`);
    await expect(own.getByTestId('message-deleted')).toHaveText('message deleted');
    await expect(messageText(ann.page, `${p} ben one`)).toHaveCount(0);
    // The owner, someone else's.
    const moderated = await deleteMessage(ann.page, `${p} ben two`);
    await expect(moderated.getByTestId('message-deleted')).toBeVisible();
    await expect(messageText(ben.page, `${p} ben two`)).toHaveCount(0);
    // Neither author nor owner: not offered (the server refuses it too, functions/delete-message.test.ts).
    const other = await openMessageMenu(ben.page, `${p} ann`);
    await expect(other.getByTestId('menu-reply')).toBeVisible();
    await expect(other.getByTestId('menu-delete')).toHaveCount(0);
    await ben.page.keyboard.press('Escape');

    await ann.page.reload();
    await openRoom(ann.page, room);
    await expect(ann.page.getByTestId('message-deleted')).toHaveCount(2);
    await expect(messageText(ann.page, `${p} ann`)).toBeVisible();
    // After a reload the owner is still offered Delete on other people's messages.
    await send(ben.page, `${p} ben three`);
    const third = await openMessageMenu(ann.page, `${p} ben three`);
    await expect(third.getByTestId('menu-delete')).toBeVisible();
  });
});

test('reactions: add and remove, with counts and names, own ones pressed, live; axe finds nothing serious', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const text = `react ${Date.now()}`;
    await send(ann.page, text);
    await sent(ann.page, text);
    await react(ann.page, text, '👍');
    const onBen = message(ben.page, text);
    await expect(reaction(onBen, '👍')).toHaveAttribute('aria-label', '👍 1: Ann');
    await expect(reaction(onBen, '👍')).toHaveAttribute('aria-pressed', 'false');
    await reaction(onBen, '👍').click();
    await expect(reaction(onBen, '👍')).toHaveAttribute('aria-label', '👍 2: Ann, Ben');
    await expect(reaction(onBen, '👍')).toHaveAttribute('aria-pressed', 'true');
    const onAnn = message(ann.page, text);
    await expect(reaction(onAnn, '👍')).toHaveAttribute('aria-label', '👍 2: Ann, Ben');
    await expect(reaction(onAnn, '👍')).toHaveAttribute('aria-pressed', 'true');
    // Any emoji, from the picker "Other reaction…" opens (e2e/reactions.spec.ts tests the picker).
    const other = await openMessageMenu(ben.page, text);
    await other.getByTestId('react-other').click();
    await pickEmoji(other, 'unicorn', '🦄');
    await expect(reaction(onAnn, '🦄')).toHaveAttribute('aria-label', '🦄 1: Ben');
    // Removing, and removing again (idempotent).
    await reaction(onBen, '👍').click();
    await expect(reaction(onAnn, '👍')).toHaveAttribute('aria-label', '👍 1: Ann');
    await reaction(onAnn, '👍').click();
    await expect(reaction(onBen, '👍')).toHaveCount(0);
    await ben.page.reload();
    await expect(reaction(message(ben.page, text), '🦄')).toHaveAttribute('aria-pressed', 'true');

    await openMessageMenu(ann.page, text);
    const results = await new AxeBuilder({ page: ann.page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);
  });
});

test('a reply quotes the original and jumps to it, loading older history; a reply to a deleted message says so', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const room = `replies-${Date.now()}`;
    await createRoom(ann.page, room);
    await ben.page.reload();
    await roomButton(ben.page, room).click();
    await openRoom(ben.page, room);
    // The original, then more than a page of other messages.
    process.env[STORAGE_SETTING] = stack.storageConnectionString;
    const { importMessages } = await import('../functions/testing/seed.js');
    const start = Date.now() - 100_000;
    const original = `the original question ${Date.now()}`;
    const seeded = [original, ...Array.from({ length: 55 }, (_, i) => `filler ${i}`)].map((text, i) => ({
      id: randomUUID(),
      room,
      text,
      sender: { id: 'dev-ben', name: 'Ben' },
      sentAt: new Date(start + i * 1000).toISOString(),
    }));
    await importMessages(room, seeded);
    await ann.page.reload();
    await openRoom(ann.page, room);
    // Older messages load from the button, or by themselves when the list sits at its top (a scroll
    // event there while the room opens, on a slow machine): then the button is gone already.
    const older = ann.page.getByTestId('load-older');
    await expect(async () => {
      if (await older.isVisible()) await older.click({ timeout: 1_000 });
      await expect(messageText(ann.page, original)).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const target = await openMessageMenu(ann.page, original);
    await target.getByTestId('menu-reply').click();
    await expect(ann.page.getByTestId('composer-reply')).toContainText(original);
    await expect(ann.page.getByTestId('composer-input')).toBeFocused();
    const answer = `the answer ${Date.now()}`;
    await send(ann.page, answer);
    await sent(ann.page, answer);
    await expect(ann.page.getByTestId('composer-reply')).toHaveCount(0);

    // Ben's newest page has the reply but not the original.
    await ben.page.reload();
    await openRoom(ben.page, room);
    const reply = message(ben.page, answer);
    await expect(reply.getByTestId('reply-quote')).toContainText(original.slice(0, 40));
    await expect(messageText(ben.page, original)).toHaveCount(0);
    await reply.getByTestId('reply-quote').click();
    const found = message(ben.page, original);
    await expect(found).toBeFocused({ timeout: 15_000 });
    await expect(found).toBeInViewport();

    // The room's owner takes the original back.
    await deleteMessage(ann.page, original);
    await expect(message(ann.page, answer).getByTestId('reply-quote')).toContainText('deleted');
    await expect(reply.getByTestId('reply-quote')).toContainText('deleted');
  });
});

test('edits, deletions and reactions made while the other browser is offline appear once it reconnects', async ({
  browser,
  ownStack,
}) => {
  test.setTimeout(150_000);
  await withPeople(browser, ownStack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const p = `offline ${Date.now()}`;
    for (const text of [`${p} edit me`, `${p} react to me`, `${p} delete me`]) {
      await send(ann.page, text);
      await sent(ann.page, text);
      await expect(messageText(ben.page, text)).toBeVisible();
    }
    // The live connection goes: nothing reaches Ben but through catch-up.
    await ownStack.processes.signalr.kill();
    await expect(ben.page.getByTestId('connection-state')).not.toHaveText(/^\s*connected\s*$/, { timeout: 45_000 });
    await editMessage(ann.page, `${p} edit me`, `${p} edited`);
    await react(ann.page, `${p} react to me`, '🎉');
    await expect(reaction(message(ann.page, `${p} react to me`), '🎉')).toHaveAttribute('aria-label', '🎉 1: Ann');
    await deleteMessage(ann.page, `${p} delete me`);
    await send(ann.page, `${p} new`);
    await sent(ann.page, `${p} new`);
    await expect(messageText(ben.page, `${p} edited`)).toHaveCount(0);

    await ownStack.processes.signalr.start();
    await expect(ben.page.getByTestId('connection-state')).toHaveText(/^\s*connected\s*$/, { timeout: 60_000 });
    await expect(messageText(ben.page, `${p} edited`)).toBeVisible({ timeout: 15_000 });
    await expect(reaction(message(ben.page, `${p} react to me`), '🎉')).toHaveAttribute('aria-label', '🎉 1: Ann');
    await expect(messageText(ben.page, `${p} delete me`)).toHaveCount(0);
    await expect(messageText(ben.page, `${p} new`)).toHaveCount(1);
    const texts = (await ben.page.getByTestId('message-text').allTextContents()).map((t) => t.trim());
    expect(texts.filter((t) => t.startsWith(p))).toEqual([`${p} edited`, `${p} react to me`, `${p} new`]);
    expect(await ben.page.getByTestId('message-deleted').count()).toBeGreaterThanOrEqual(1);
  });
});

test('the first connection catches up: a message sent between the history read and the connection opening appears', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const p = `race ${Date.now()}`;
    await send(ann.page, `${p} before`);
    await sent(ann.page, `${p} before`);
    // Ben's next page load reads the history, but its connection waits until released.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await ben.page.route('**/api/negotiate*', async (route) => {
      await gate;
      await route.continue();
    });
    await ben.page.reload();
    await expect(messageText(ben.page, `${p} before`)).toBeVisible();
    await expect(ben.page.getByTestId('connection-state')).not.toHaveText(/^\s*connected\s*$/);
    await send(ann.page, `${p} in between`);
    await sent(ann.page, `${p} in between`);
    release();
    await expect(ben.page.getByTestId('connection-state')).toHaveText(/^\s*connected\s*$/, { timeout: 15_000 });
    await expect(messageText(ben.page, `${p} in between`)).toHaveCount(1, { timeout: 10_000 });
    await ben.page.unroute('**/api/negotiate*');
  });
});
