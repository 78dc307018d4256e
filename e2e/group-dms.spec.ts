import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';

import { messageText, send } from './chat-page';
import { expect, test, withPeople } from './stack';

/** A DM or group conversation in the sidebar, by its whole title (the other people's names). */
function conversation(page: Page, title: string): Locator {
  const exact = new RegExp(`^\\s*${title}\\s*$`);
  return page.getByTestId('room').filter({ has: page.locator('.title', { hasText: exact }) });
}

/** The room name in the address bar (`/r/{room}`). */
function roomInAddress(page: Page): string {
  return decodeURIComponent(new URL(page.url()).pathname.replace(/^\/r\//, ''));
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

test('group conversations: started from the people list by keyboard, they reach their three people and nobody else; adding someone to a DM opens a new group and the DM stays as it was', async ({
  browser,
  stack,
}) => {
  test.setTimeout(180_000);
  await withPeople(browser, stack.urls.app, ['Gia', 'Hal', 'Ivy', 'Jon'], async ([gia, hal, ivy, jon]) => {
    // Gia opens "New group" from the people list with the keyboard: the dialog takes the focus.
    const newGroup = gia.page.getByTestId('new-group');
    await newGroup.focus();
    await newGroup.press('Enter');
    const dialog = gia.page.getByRole('dialog', { name: 'New group conversation' });
    const filter = dialog.getByLabel('Find people');
    await expect(filter).toBeFocused();

    // Escape closes it and gives the focus back to the button.
    await filter.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(newGroup).toBeFocused();
    await newGroup.press('Enter');
    await expect(filter).toBeFocused();

    // One person is not a group: the dialog says so.
    await filter.fill('Ha');
    await dialog.getByRole('checkbox', { name: /^Hal\b/ }).press('Space');
    await expect(dialog.getByRole('status')).toHaveText('1 chosen: Hal.');
    await dialog.getByRole('button', { name: 'Start group' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Choose at least 2 people');
    await filter.fill('Iv');
    await expect(dialog.getByRole('checkbox', { name: /^Jon\b/ })).toHaveCount(0);
    await dialog.getByRole('checkbox', { name: /^Ivy\b/ }).press('Space');
    await expect(dialog.getByRole('status')).toHaveText('2 chosen: Hal, Ivy.');
    expect(await seriousViolations(gia.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Start group' }).press('Enter');

    // It opens for Gia, titled by the others' names, and is listed at once for Hal and Ivy.
    await expect(dialog).toHaveCount(0);
    await expect(gia.page.getByTestId('room-title')).toHaveText('Hal, Ivy');
    await expect(conversation(gia.page, 'Hal, Ivy')).toBeVisible();
    const group = roomInAddress(gia.page);
    await expect(conversation(hal.page, 'Gia, Ivy')).toBeVisible();
    await expect(conversation(ivy.page, 'Gia, Hal')).toBeVisible();

    // Messages reach all three, live.
    await send(gia.page, 'hello, group');
    await conversation(hal.page, 'Gia, Ivy').click();
    await conversation(ivy.page, 'Gia, Hal').click();
    await expect(messageText(hal.page, 'hello, group')).toBeVisible();
    await expect(messageText(ivy.page, 'hello, group')).toBeVisible();
    await send(hal.page, 'hi both');
    await expect(messageText(gia.page, 'hi both')).toBeVisible();
    await expect(messageText(ivy.page, 'hi both')).toBeVisible();

    // Jon, outside it, sees nothing: not in his list, and its address says no access.
    await expect(jon.page.getByTestId('room').filter({ hasText: /Gia|Hal|Ivy/ })).toHaveCount(0);
    await jon.page.goto(new URL(`/r/${group}`, stack.urls.app).href);
    await expect(jon.page.getByTestId('no-access')).toBeVisible();
    await expect(jon.page.locator('body')).not.toContainText('hello, group');

    // Gia and Hal talk in their DM; Gia adds Jon from its members panel: a new group opens.
    await gia.page.getByTestId('user').filter({ hasText: 'Hal' }).getByTestId('start-dm').click();
    await expect(gia.page.getByTestId('room-title')).toHaveText('Hal');
    const dm = roomInAddress(gia.page);
    await send(gia.page, 'just us two');
    await expect(messageText(gia.page, 'just us two')).toBeVisible();
    await gia.page.getByTestId('members-toggle').click();
    const panel = gia.page.getByTestId('room-panel');
    await expect(panel.getByTestId('member')).toHaveCount(2);
    await expect(panel.getByTestId('add-person-hint')).toHaveText(
      'Adding someone starts a new group conversation; this one stays as it is.',
    );
    await panel.getByTestId('add-person-input').fill('Jo');
    await panel.getByRole('button', { name: 'Start a group with Jon', exact: true }).click();
    await expect(gia.page.getByTestId('room-title')).toHaveText('Hal, Jon');
    expect(roomInAddress(gia.page)).not.toBe(dm);
    await send(gia.page, 'Jon joins us');

    // Jon has the new group, without the DM's messages; the DM stays Gia's and Hal's.
    await jon.page.goto(stack.urls.app);
    await conversation(jon.page, 'Gia, Hal').click();
    await expect(messageText(jon.page, 'Jon joins us')).toBeVisible();
    await expect(jon.page.locator('body')).not.toContainText('just us two');
    await expect(conversation(gia.page, 'Hal')).toBeVisible();
    await conversation(hal.page, 'Gia').click();
    await expect(messageText(hal.page, 'just us two')).toBeVisible();
    await hal.page.getByTestId('members-toggle').click();
    await expect(hal.page.getByTestId('room-panel').getByTestId('member')).toHaveCount(2);
    await jon.page.goto(new URL(`/r/${dm}`, stack.urls.app).href);
    await expect(jon.page.getByTestId('no-access')).toBeVisible();

    // Ivy leaves the first group: asked first (Stay keeps her in), then it is gone from her list and
    // its address says no access; Gia and Hal go on talking there.
    await conversation(ivy.page, 'Gia, Hal').click();
    await expect(ivy.page.getByTestId('room-title')).toHaveText('Gia, Hal');
    await ivy.page.getByRole('button', { name: 'Leave', exact: true }).click();
    const question = ivy.page.getByRole('group', { name: /Leave this conversation\?/ });
    await expect(question.getByRole('button', { name: 'Leave' })).toBeFocused();
    await question.getByRole('button', { name: 'Stay' }).click();
    await expect(question).toHaveCount(0);
    await ivy.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await question.getByRole('button', { name: 'Leave' }).press('Enter');
    await expect(conversation(ivy.page, 'Gia, Hal')).toHaveCount(0);
    await ivy.page.goto(new URL(`/r/${group}`, stack.urls.app).href);
    await expect(ivy.page.getByTestId('no-access')).toBeVisible();
    // (By address: the group's title may now name only those still in it.)
    await hal.page.goto(new URL(`/r/${group}`, stack.urls.app).href);
    await gia.page.goto(new URL(`/r/${group}`, stack.urls.app).href);
    await send(gia.page, 'after Ivy left');
    await expect(messageText(hal.page, 'after Ivy left')).toBeVisible();
  });
});
