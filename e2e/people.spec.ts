import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

import { messageText, send } from './chat-page';
import { expect, signIn, test } from './stack';

/** A 3 × 2 PNG (red, green, blue / white, black, grey): the browser crops it to its middle square. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAFUlEQVR4nGP4z8DAAMH//4PohoYGAEfPB3vT+rJCAAAAAElFTkSuQmCC',
  'base64',
);

/** The row of the people list for `name` (the list holds everyone else). */
function personRow(page: Page, name: string) {
  return page.getByTestId('user').filter({ has: page.getByTestId('user-name').filter({ hasText: name }) });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

test('an avatar, a status and a rename set in one browser show live in the other; a short status ends by itself', async ({
  browser,
  stack,
}) => {
  const suffix = Date.now().toString(36);
  const pia = await signIn(browser, stack.urls.app, `Pia ${suffix}`);
  const quin = await signIn(browser, stack.urls.app, `Quin ${suffix}`);
  try {
    const text = `before the rename ${suffix}`;
    await send(pia.page, text);
    await expect(messageText(quin.page, text)).toHaveCount(1);
    const piaAtQuin = personRow(quin.page, `Pia ${suffix}`);
    await expect(piaAtQuin).toBeVisible();
    // No avatar yet: initials.
    await expect(piaAtQuin.locator('hb-avatar img')).toHaveCount(0);
    await expect(piaAtQuin.locator('hb-avatar span')).toHaveAttribute('data-initials', 'P' + suffix[0].toUpperCase());

    // Pia opens her profile, picks an image and sets a status.
    await pia.page.getByTestId('profile-open').click();
    const profile = pia.page.getByTestId('profile-page');
    await expect(profile).toBeVisible();
    await expect(pia.page.getByTestId('profile-name')).toHaveValue(`Pia ${suffix}`);
    await pia.page
      .getByTestId('profile-avatar-file')
      .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await expect(profile.getByText('Avatar updated.')).toBeVisible();
    await pia.page.getByTestId('profile-status-emoji').fill('🌴');
    await pia.page.getByTestId('profile-status-text').fill('on holiday');
    await pia.page.getByTestId('profile-status-expiry').selectOption('never');
    await pia.page.getByTestId('profile-status-set').click();
    await expect(profile.getByText('Status set.')).toBeVisible();

    // Quin sees both without reloading: the avatar image (square, AVATAR_SIZE_PX) and the status.
    const img = piaAtQuin.locator('hb-avatar img');
    await expect(img).toHaveCount(1);
    await expect
      .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && [el.naturalWidth, el.naturalHeight].join('x')))
      .toBe('256x256');
    await expect(piaAtQuin.getByTestId('user-status')).toContainText('🌴');
    await expect(piaAtQuin.getByTestId('user-status')).toHaveAttribute('title', 'on holiday');

    // A rename shows in Quin's people list and on Pia's old message at once.
    await pia.page.getByTestId('profile-name').fill(`Pippa ${suffix}`);
    await pia.page.getByTestId('profile-save').click();
    await expect(profile.getByText('Saved.')).toBeVisible();
    await expect(personRow(quin.page, `Pippa ${suffix}`)).toBeVisible();
    await expect(quin.page.getByTestId('message').filter({ hasText: text }).getByTestId('message-sender')).toHaveText(
      `Pippa ${suffix}`,
    );
    await pia.page.getByTestId('profile-close').click();
    await expect(profile).toBeHidden();

    // A status with a short expiry (set through the route, as the page offers 30 minutes at least)
    // goes from Quin's screen by itself when it ends.
    const status = await pia.page.evaluate(async () => {
      const expiresAt = new Date(Date.now() + 4000).toISOString();
      const response = await fetch('/api/me/status', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ emoji: '☕', text: 'back in a moment', expiresAt }),
      });
      return response.status;
    });
    expect(status).toBeLessThan(300);
    const pippaAtQuin = personRow(quin.page, `Pippa ${suffix}`);
    await expect(pippaAtQuin.getByTestId('user-status')).toContainText('☕');
    await expect(pippaAtQuin.getByTestId('user-status')).toHaveCount(0, { timeout: 15_000 });
  } finally {
    await pia.context.close();
    await quin.context.close();
  }
});

test('a person with no input for the (test-shortened) idle time shows as away, and active again at the next input', async ({
  browser,
  stack,
}) => {
  const suffix = Date.now().toString(36);
  const rae = await signIn(browser, stack.urls.app, `Rae ${suffix}`);
  const sol = await signIn(browser, stack.urls.app, `Sol ${suffix}`);
  try {
    const raeAtSol = personRow(sol.page, `Rae ${suffix}`);
    await expect(raeAtSol).toHaveAttribute('data-presence', 'active');
    // The test-only idle setting (docs/behaviour.md, Away), then a fresh page that reads it.
    await rae.page.evaluate(() => localStorage.setItem('hubbub.test.awayAfterMs', '1500'));
    await rae.page.reload();
    await rae.page.getByTestId('current-user').waitFor();
    await expect(raeAtSol).toHaveAttribute('data-presence', 'away', { timeout: 15_000 });
    // Words, not only a colour.
    await expect(raeAtSol.locator('hb-presence-dot')).toHaveText('away');
    await rae.page.mouse.move(10, 10);
    await rae.page.mouse.move(40, 40);
    await expect(raeAtSol).toHaveAttribute('data-presence', 'active', { timeout: 10_000 });

    // Away by hand stays however much Rae types.
    await rae.page.getByTestId('profile-open').click();
    await rae.page.getByTestId('profile-away').check();
    await expect(raeAtSol).toHaveAttribute('data-presence', 'away', { timeout: 10_000 });
    await rae.page.keyboard.press('Tab');
    await rae.page.getByTestId('profile-away').uncheck();
    await expect(raeAtSol).toHaveAttribute('data-presence', 'active', { timeout: 10_000 });
  } finally {
    await rae.context.close();
    await sol.context.close();
  }
});

test('a name opens the person’s card (keyboard too): status, local time, presence; Escape gives the focus back; Message opens the DM; no serious axe violations', async ({
  browser,
  stack,
}) => {
  const suffix = Date.now().toString(36);
  const tia = await signIn(browser, stack.urls.app, `Tia ${suffix}`);
  const uma = await signIn(browser, stack.urls.app, `Uma ${suffix}`);
  try {
    const set = await uma.page.evaluate(async () => {
      const answers = await Promise.all([
        fetch('/api/me/profile', {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ about: 'Keeps the lights on', timeZone: 'Asia/Tokyo' }),
        }),
        fetch('/api/me/status', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ emoji: '🎧', text: 'deep work' }),
        }),
      ]);
      return answers.map((a) => a.ok);
    });
    expect(set).toEqual([true, true]);

    const name = personRow(tia.page, `Uma ${suffix}`).getByTestId('user-name');
    await name.focus();
    await tia.page.keyboard.press('Enter');
    const card = tia.page.getByTestId('profile-card');
    await expect(card).toBeVisible();
    await expect(card.getByTestId('profile-card-name')).toHaveText(`Uma ${suffix}`);
    await expect(card.getByTestId('profile-card-status')).toContainText('🎧');
    await expect(card.getByTestId('profile-card-status')).toContainText('deep work');
    await expect(card.getByTestId('profile-card-about')).toHaveText('Keeps the lights on');
    await expect(card.getByTestId('profile-card-time')).toContainText(/\d{1,2}:\d{2}.*local time/);
    await expect(card.getByTestId('profile-card-presence')).toContainText('Active');
    await expect(card.getByTestId('profile-card-message')).toBeFocused();
    expect(await seriousViolations(tia.page)).toEqual([]);

    await tia.page.keyboard.press('Escape');
    await expect(card).toBeHidden();
    await expect(name).toBeFocused();

    await name.click();
    await expect(card).toBeVisible();
    await card.getByTestId('profile-card-message').click();
    await expect(card).toBeHidden();
    await expect(tia.page.getByTestId('room-title')).toHaveText(`Uma ${suffix}`);
    // The DM's title says Uma's presence in words as well.
    await expect(tia.page.getByTestId('room-presence').first()).toHaveText('active');
  } finally {
    await tia.context.close();
    await uma.context.close();
  }
});
