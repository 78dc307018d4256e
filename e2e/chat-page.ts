/** What a person does on the chat page, in the words of the SPA's test ids. */
import { expect, type Locator, type Page } from '@playwright/test';

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
}

export function roomButton(page: Page, name: string): Locator {
  return page.locator(`[data-testid="room"][data-room="${name}"]`);
}

export async function openRoom(page: Page, name: string): Promise<void> {
  await roomButton(page, name).click();
  await expect(page.getByTestId('room-title')).toContainText(name === 'general' ? 'general' : name);
}

export async function createRoom(page: Page, name: string): Promise<void> {
  await page.getByTestId('create-room-input').fill(name);
  await page.getByTestId('create-room-submit').click();
  await expect(roomButton(page, name)).toBeVisible();
  await openRoom(page, name);
}

/** The message whose whole text is `text` ("flood 1" must not match "flood 10"). */
export function messageText(page: Page, text: string): Locator {
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page.getByTestId('message-text').filter({ hasText: exact });
}

export function message(page: Page, text: string): Locator {
  return page.getByTestId('message').filter({ has: messageText(page, text) });
}

/** Opens a message's action menu (it shows on hover); the message is found by its id from then on, as its text may go. */
export async function openMessageMenu(page: Page, text: string): Promise<Locator> {
  const id = await message(page, text).getAttribute('data-message-id');
  const item = page.locator(`[data-testid="message"][data-message-id="${id}"]`);
  await item.hover();
  await item.getByTestId('message-menu').click();
  await expect(item.getByRole('menu')).toBeVisible();
  return item;
}

export async function editMessage(page: Page, text: string, newText: string): Promise<void> {
  const item = await openMessageMenu(page, text);
  await item.getByTestId('menu-edit').click();
  await item.getByTestId('edit-input').fill(newText);
  await item.getByTestId('edit-input').press('Enter');
  await expect(messageText(page, newText)).toBeVisible();
}

export async function deleteMessage(page: Page, text: string): Promise<Locator> {
  const item = await openMessageMenu(page, text);
  await item.getByTestId('menu-delete').click();
  await item.getByTestId('confirm-delete').click();
  return item;
}

export async function react(page: Page, text: string, emoji: string): Promise<void> {
  const item = await openMessageMenu(page, text);
  await item.getByRole('menuitem', { name: `React with ${emoji}` }).click();
}

/** A message's reaction button for one emoji. */
export function reaction(item: Locator, emoji: string): Locator {
  return item.locator(`[data-testid="reaction"][data-emoji="${emoji}"]`);
}

/** Chooses an emoji in a message's open emoji picker by searching for its name. */
export async function pickEmoji(item: Locator, search: string, emoji: string): Promise<void> {
  const picker = item.getByTestId('reaction-picker');
  await expect(picker).toBeVisible();
  await picker.getByRole('combobox', { name: 'Search' }).fill(search);
  await picker.locator('button.emoji').filter({ hasText: emoji }).first().click();
  await expect(picker).toBeHidden();
}
