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
