import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';

import { messageText, roomButton, send } from './chat-page';
import { expect, test, withPeople } from './stack';

/** axe-core's serious and critical findings on the page as it is. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

/** Opens the open room's members panel (a lazy chunk) and returns it. */
async function openMembers(page: Page): Promise<Locator> {
  await page.getByTestId('members-toggle').click();
  const panel = page.getByTestId('room-panel');
  await expect(panel.getByTestId('member').first()).toBeVisible();
  return panel;
}

function member(panel: Locator, name: string): Locator {
  return panel
    .getByTestId('member')
    .filter({ has: panel.page().locator('.name', { hasText: new RegExp(`^${name}$`) }) });
}

/** Finds a person with the panel's people search and adds them. */
async function addPerson(panel: Locator, name: string): Promise<void> {
  await panel.getByTestId('add-person-input').fill(name);
  await panel.getByRole('button', { name: `Add ${name}`, exact: true }).click();
}

async function removeMember(panel: Locator, name: string, ban = false): Promise<void> {
  await member(panel, name)
    .getByRole('button', { name: `${ban ? 'Ban' : 'Remove'} ${name}`, exact: true })
    .click();
  await member(panel, name).getByTestId('confirm-remove').click();
}

test('private rooms: created with the switch, invisible to others (a link says no access), people added and removed live, roles, bans, archiving; axe with the members panel open', async ({
  browser,
  stack,
}) => {
  test.setTimeout(180_000);
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben', 'Cat'], async ([ann, ben, cat]) => {
    const room = `plans-${Date.now()}`;
    const link = new URL(`/r/${room}`, stack.urls.app).href;

    // Ann creates it private: it opens, with a lock that screen readers hear as "(private)".
    await ann.page.getByTestId('create-room-input').fill(room);
    const privateSwitch = ann.page.getByRole('switch', { name: 'Private' });
    await privateSwitch.press('Enter');
    await expect(privateSwitch).toHaveAttribute('aria-checked', 'true');
    await ann.page.getByTestId('create-room-submit').click();
    await expect(ann.page.getByTestId('room-title')).toHaveText(`# ${room}`);
    await expect(roomButton(ann.page, room).getByTestId('room-lock')).toBeVisible();
    await expect(roomButton(ann.page, room)).toContainText('(private)');
    await send(ann.page, 'the first plan');
    await expect(messageText(ann.page, 'the first plan')).toBeVisible();

    // Its owner gives it a title and a topic, shown under the title.
    const panel = await openMembers(ann.page);
    await expect(member(panel, 'Ann').getByTestId('member-role')).toHaveText('owner');
    await panel.getByTestId('show-settings').click();
    await panel.getByTestId('room-title-input').fill('Launch plans');
    await panel.getByTestId('room-topic-input').fill('Ship it by Friday');
    await panel.getByTestId('save-settings').click();
    await expect(ann.page.getByTestId('room-title')).toHaveText('# Launch plans');
    await expect(ann.page.getByTestId('room-topic')).toHaveText('Ship it by Friday');
    await panel.getByTestId('show-members').click();

    // Nobody else knows it exists: not in their lists (after a reload too), and its link says no access.
    await ben.page.reload();
    await expect(ben.page.getByTestId('connection-state')).toHaveText(/^\s*connected\s*$/);
    await expect(roomButton(ben.page, 'general')).toBeVisible();
    await expect(roomButton(ben.page, room)).toHaveCount(0);
    await cat.page.goto(link);
    await expect(cat.page.getByTestId('no-access')).toContainText(
      "You don't have access to this room, or it doesn't exist.",
    );
    await expect(cat.page.locator('body')).not.toContainText('Launch plans');
    await expect(cat.page.locator('body')).not.toContainText('Ship it');
    await expect(cat.page.getByTestId('composer-input')).toHaveCount(0);
    await expect(roomButton(cat.page, room)).toHaveCount(0);

    // Ann adds Ben with the people search: the room appears in Ben's list at once, history and topic with it.
    await addPerson(panel, 'Ben');
    await expect(member(panel, 'Ben')).toBeVisible();
    await expect(roomButton(ben.page, room)).toContainText('Launch plans');
    await roomButton(ben.page, room).click();
    await expect(messageText(ben.page, 'the first plan')).toBeVisible();
    await expect(ben.page.getByTestId('room-topic')).toHaveText('Ship it by Friday');

    // The members panel passes axe, open with its people search and its owner's controls.
    await panel.getByTestId('add-person-input').fill('C');
    await expect(panel.getByRole('button', { name: 'Add Cat', exact: true })).toBeVisible();
    expect(await seriousViolations(ann.page)).toEqual([]);
    await panel.getByTestId('add-person-input').fill('');

    // Roles: Ann makes Ben an admin; Ben's own panel shows it live and offers him the settings.
    const benPanel = await openMembers(ben.page);
    await expect(benPanel.getByTestId('show-settings')).toHaveCount(0);
    // (Nothing to do to himself but open his card by his name.)
    await expect(
      member(benPanel, 'Ben').getByRole('button').and(benPanel.locator(':not([data-testid="member-name"])')),
    ).toHaveCount(0);
    await member(panel, 'Ben').getByRole('button', { name: 'Make admin: Ben', exact: true }).click();
    await expect(member(benPanel, 'Ben').getByTestId('member-role')).toHaveText('admin');
    await expect(benPanel.getByTestId('show-settings')).toBeVisible();
    expect(await seriousViolations(ben.page)).toEqual([]);

    // Cat, still on the link, is added: the "no access" view gives way to the room and its history.
    await addPerson(panel, 'Cat');
    await expect(cat.page.getByTestId('no-access')).toHaveCount(0);
    await expect(messageText(cat.page, 'the first plan')).toBeVisible();
    await expect(cat.page.getByTestId('room-title')).toHaveText('# Launch plans');
    await expect(member(benPanel, 'Cat')).toBeVisible();

    // Ben, an admin, bans Cat while Cat watches: the room goes, Cat is told why and is back in general.
    await removeMember(benPanel, 'Cat', true);
    await expect(cat.page.getByTestId('room-lost')).toContainText('You were banned from # Launch plans');
    await expect(cat.page.getByTestId('room-title')).toHaveText('# general');
    await expect(cat.page).toHaveURL(/\/r\/general$/);
    await expect(roomButton(cat.page, room)).toHaveCount(0);
    await expect(member(panel, 'Cat')).toHaveCount(0);
    await expect(panel.getByTestId('ban-list')).toContainText('Cat');
    // Her link to it says no access again.
    await cat.page.goto(link);
    await expect(cat.page.getByTestId('no-access')).toBeVisible();
    await expect(cat.page.locator('body')).not.toContainText('Launch plans');

    // Adding Cat back is refused while she is banned: the server's reason shows under the search, what was typed stays.
    await addPerson(panel, 'Cat');
    await expect(panel.getByTestId('add-error')).not.toBeEmpty();
    await expect(panel.getByTestId('add-person-input')).toHaveValue('Cat');
    await panel.getByTestId('ban-list').getByRole('button', { name: 'Unban Cat', exact: true }).click();
    await expect(panel.getByTestId('ban-list')).toHaveCount(0);
    await addPerson(panel, 'Cat');
    await expect(member(panel, 'Cat')).toBeVisible();
    await expect(cat.page.getByTestId('no-access')).toHaveCount(0);
    await expect(messageText(cat.page, 'the first plan')).toBeVisible();

    // Ann removes Ben while Ben has the room open, his panel too.
    await removeMember(panel, 'Ben');
    await expect(ben.page.getByTestId('room-lost')).toContainText('You were removed from # Launch plans');
    await expect(ben.page.getByTestId('room-panel')).toHaveCount(0);
    await expect(ben.page.getByTestId('room-title')).toHaveText('# general');
    await expect(roomButton(ben.page, room)).toHaveCount(0);
    await expect(member(panel, 'Ben')).toHaveCount(0);
    const status = await ben.page.evaluate(async (r) => (await fetch(`/api/rooms/${r}/messages`)).status, room);
    expect(status).toBe(404);

    // Archiving: read-only for everyone in it, listed under its own folded heading.
    await panel.getByTestId('show-settings').click();
    await panel.getByTestId('archive-room').click();
    for (const page of [ann.page, cat.page]) {
      await expect(page.getByTestId('archived-note')).toBeVisible();
      await expect(page.getByTestId('composer-input')).toHaveCount(0);
      const heading = page.getByTestId('archived-toggle');
      await expect(heading).toHaveAttribute('aria-expanded', 'false');
      await expect(roomButton(page, room)).toBeHidden();
      await heading.click();
      await expect(roomButton(page, room)).toBeVisible();
    }
    await expect(messageText(cat.page, 'the first plan')).toBeVisible();
    expect(await seriousViolations(ann.page)).toEqual([]);
  });
});

test('the owner of a private room keeps adding people to owner and admins (a switch, by keyboard); a member then sees why there is no search', async ({
  browser,
  stack,
}) => {
  test.setTimeout(120_000);
  await withPeople(browser, stack.urls.app, ['Kim', 'Lou'], async ([kim, lou]) => {
    const room = `closed-${Date.now()}`;
    await kim.page.getByTestId('create-room-input').fill(room);
    await kim.page.getByRole('switch', { name: 'Private' }).press('Space');
    await kim.page.getByTestId('create-room-submit').click();
    await expect(kim.page.getByTestId('room-title')).toHaveText(`# ${room}`);
    const panel = await openMembers(kim.page);
    await addPerson(panel, 'Lou');
    await roomButton(lou.page, room).click();
    const louPanel = await openMembers(lou.page);
    await expect(louPanel.getByTestId('add-person-input')).toBeVisible();

    // Kim turns it on in the settings: Lou's panel follows at once.
    await panel.getByTestId('show-settings').click();
    const onlyAdmins = panel.getByRole('switch', { name: 'Only owner and admins add people' });
    await expect(onlyAdmins).toHaveAttribute('aria-checked', 'false');
    await onlyAdmins.press('Space');
    await expect(onlyAdmins).toHaveAttribute('aria-checked', 'true');
    await expect(louPanel.getByTestId('add-restricted')).toHaveText(
      'Only the owner and admins add people to this room.',
    );
    await expect(louPanel.getByTestId('add-person-input')).toHaveCount(0);
    // The server refuses it too, whatever the page shows.
    const status = await lou.page.evaluate(
      async (r) =>
        (
          await fetch(`/api/rooms/${r}/members`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ userId: 'someone' }),
          })
        ).status,
      room,
    );
    expect(status).toBe(403);

    await onlyAdmins.press('Space');
    await expect(louPanel.getByTestId('add-person-input')).toBeVisible();
  });
});
