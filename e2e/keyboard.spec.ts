/**
 * Keyboard, focus, popovers on screen and touch sizes (docs/behaviour.md, "Keyboard, screen
 * readers and phones"), at desktop and phone sizes. Each test signs in people of its own, so the
 * rooms one creates never show in another's sidebar.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';

import { createRoom, message, messageText, openMessageMenu, roomButton, send } from './chat-page';
import { expect, test, withPeople } from './stack';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function expectNoSeriousAxeViolations(page: Page, when: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious, when).toEqual([]);
}

async function expectWhollyOnScreen(page: Page, locator: Locator, what: string): Promise<void> {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box!.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what}: right edge`).toBeLessThanOrEqual(width);
  expect(box!.y + box!.height, `${what}: bottom edge`).toBeLessThanOrEqual(height);
}

/** Posts messages as the signed-in person straight to the API (what the composer does, faster). */
async function post(page: Page, room: string, texts: readonly string[]): Promise<void> {
  await page.evaluate(
    async ({ room, texts }) => {
      for (const text of texts) {
        const response = await fetch('/api/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: crypto.randomUUID(), room, text }),
        });
        if (!response.ok) throw new Error(`send failed: ${response.status}`);
      }
    },
    { room, texts },
  );
}

/** What has the focus: whether it is inside the message list, in which message, and its test id. */
function focused(
  page: Page,
): Promise<{ inList: boolean; messageId: string | null; isMessage: boolean; testId: string | null }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const list = document.querySelector('[data-testid="message-list"]');
    const item = element?.closest<HTMLElement>('[data-message-id]') ?? null;
    return {
      inList: !!element && !!list?.contains(element),
      messageId: item?.dataset['messageId'] ?? null,
      isMessage: !!element && element === item,
      testId: element?.getAttribute('data-testid') ?? null,
    };
  });
}

test('menus and the emoji box stay on screen at desktop and phone sizes, light and dark, with nothing serious for axe', async ({
  browser,
  stack,
}) => {
  test.setTimeout(180_000);
  await withPeople(browser, stack.urls.app, ['Mona'], async ([mona]) => {
    const page = mona.page;
    await createRoom(page, `menus-${Date.now()}`);
    const p = `menu check ${Date.now()}`;
    for (let i = 1; i <= 3; i++) await send(page, `${p} ${i}`);
    await expect(messageText(page, `${p} 3`)).toBeVisible();

    for (const viewport of [DESKTOP, PHONE]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const when = `${viewport.width}×${viewport.height} ${colorScheme}`;
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme });
        // The newest message sits at the bottom edge: its menu opens above it, whole.
        const item = await openMessageMenu(page, `${p} 3`);
        const menu = item.getByRole('menu');
        await expectWhollyOnScreen(page, menu, `menu at ${when}`);
        for (const name of ['Other reaction…', 'Reply', 'Mark as unread', 'Edit', 'Delete']) {
          await expect(menu.getByRole('menuitem', { name }), `${name} at ${when}`).toBeInViewport({ ratio: 1 });
        }
        await expectNoSeriousAxeViolations(page, `menu open at ${when}`);
        await page.keyboard.press('Escape');
        await expect(menu).toBeHidden();
        await expect(item.getByTestId('message-menu'), 'Escape gives the focus back to the menu button').toBeFocused();

        // "Other reaction…" opens the emoji picker beside the message, whole on screen (axe over
        // the open picker is in reactions.spec.ts); Escape gives the focus to its button.
        await item.getByTestId('message-menu').click();
        await menu.getByRole('menuitem', { name: 'Other reaction…' }).click();
        const picker = item.getByTestId('reaction-picker');
        await expect(picker.getByTestId('emoji-picker')).toBeVisible();
        await expectWhollyOnScreen(page, picker, `emoji picker at ${when}`);
        await page.keyboard.press('Escape');
        await expect(picker).toBeHidden();
        await expect(item.getByTestId('add-reaction')).toBeFocused();
      }
    }
  });
});

test('focus returns where the person came from after editing, deleting and reacting', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Fern'], async ([fern]) => {
    const page = fern.page;
    await createRoom(page, `focus-${Date.now()}`);
    const composer = page.getByTestId('composer-input');
    const p = `focus check ${Date.now()}`;
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      const text = `${p} ${viewport.width}`;
      await send(page, text);
      // Only a stored message can be edited.
      await expect(message(page, text)).toHaveAttribute('data-status', 'sent');
      // While edited the message shows no text: it is found by its id.
      const item = page.locator(`[data-message-id="${await message(page, text).getAttribute('data-message-id')}"]`);
      // Up in the empty box edits the last message; Enter saves and the focus is back in the box.
      await expect(composer).toBeFocused();
      await page.keyboard.press('ArrowUp');
      const edit = item.getByTestId('edit-input');
      await expect(edit).toBeFocused();
      await page.keyboard.type(' edited');
      await page.keyboard.press('Enter');
      await expect(messageText(page, `${text} edited`)).toBeVisible();
      await expect(composer, `after saving at ${viewport.width} px`).toBeFocused();
      await page.keyboard.type('typed next');
      await expect(composer).toHaveValue('typed next');
      await composer.fill('');
      // Escape cancels, and the focus is back in the box too.
      await page.keyboard.press('ArrowUp');
      await expect(edit).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(composer, `after cancelling at ${viewport.width} px`).toBeFocused();
    }

    // From a message's menu, the focus goes back to the message, or to the menu button.
    const last = `${p} ${PHONE.width} edited`;
    let item = await openMessageMenu(page, last);
    await item.getByRole('menuitem', { name: 'React with 👍' }).click();
    await expect(item.getByTestId('message-menu')).toBeFocused();
    item = await openMessageMenu(page, last);
    await item.getByTestId('menu-delete').click();
    await expect(item.getByTestId('cancel-delete')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(item).toBeFocused();
    item = await openMessageMenu(page, last);
    await item.getByTestId('menu-delete').click();
    await item.getByTestId('confirm-delete').click();
    await expect(item.getByTestId('message-deleted')).toBeVisible();
    await expect(item).toBeFocused();
  });
});

test('keyboard: skip link, the box focused on opening a room, the list one Tab stop with arrows, Ctrl+K, Alt+arrows and ?', async ({
  browser,
  stack,
}) => {
  test.setTimeout(180_000);
  await withPeople(browser, stack.urls.app, ['Kit', 'Lou'], async ([kit, lou]) => {
    const page = kit.page;
    const composer = page.getByTestId('composer-input');
    const stamp = Date.now();
    const alpha = `kb-alpha-${stamp}`;
    const beta = `kb-beta-${stamp}`;
    await createRoom(page, alpha);
    await expect(composer, 'the box has the focus when a room opens').toBeFocused();
    await createRoom(page, beta);
    await expect(composer).toBeFocused();
    const p = `kb ${stamp}`;
    await post(
      page,
      beta,
      Array.from({ length: 12 }, (_, i) => `${p} ${i}`),
    );
    await expect(messageText(page, `${p} 11`)).toBeVisible();
    const newestId = await message(page, `${p} 11`).getAttribute('data-message-id');

    for (const viewport of [DESKTOP, PHONE]) {
      const at = `at ${viewport.width} px`;
      await page.setViewportSize(viewport);
      await roomButton(page, alpha).evaluate((button: HTMLElement) => button.click());
      await expect(page.getByTestId('room-title')).toContainText(alpha);
      await expect(composer, `box focused on opening ${at}`).toBeFocused();

      // The skip link is the first Tab stop of the page and goes to the box.
      await page.evaluate(() => {
        const start = document.createElement('button');
        start.id = 'tab-start';
        document.body.prepend(start);
        start.focus();
      });
      await page.keyboard.press('Tab');
      await page.evaluate(() => document.getElementById('tab-start')?.remove());
      const skip = page.getByTestId('skip-to-composer');
      await expect(skip).toBeFocused();
      await expect(skip).toBeInViewport();
      await page.keyboard.press('Enter');
      await expect(composer).toBeFocused();

      // Alt+↓ / Alt+↑ move through the sidebar's rooms; the box has the focus in each.
      await page.keyboard.press('Alt+ArrowDown');
      await expect(page.getByTestId('room-title')).toContainText(beta);
      await expect(composer).toBeFocused();
      await expect(messageText(page, `${p} 11`)).toBeVisible();

      // Tabbing through the page: the list takes one stop (the newest message, then its own controls).
      await skip.focus();
      const stops: Awaited<ReturnType<typeof focused>>[] = [];
      for (let presses = 1; presses <= 80; presses++) {
        await page.keyboard.press('Tab');
        const now = await focused(page);
        if (now.testId === 'composer-input') break;
        stops.push(now);
      }
      expect(await focused(page)).toMatchObject({ testId: 'composer-input' });
      const inList = stops.filter((stop) => stop.inList);
      expect(inList[0], `Tab enters the list on the newest message ${at}`).toMatchObject({
        isMessage: true,
        messageId: newestId,
      });
      expect(new Set(inList.map((stop) => stop.messageId)).size, `one message's stops ${at}`).toBe(1);
      expect(inList.length).toBeLessThanOrEqual(3);
      test.info().annotations.push({
        type: `Tab presses from the skip link to the box with 12 messages ${at}`,
        description: String(stops.length + 1),
      });

      // Shift+Tab back into the list lands on the same message; arrows move between messages.
      for (let presses = 0; presses < 6 && !(await focused(page)).inList; presses++) {
        await page.keyboard.press('Shift+Tab');
      }
      await expect(message(page, `${p} 11`)).toBeFocused();
      await page.keyboard.press('ArrowUp');
      await expect(message(page, `${p} 10`)).toBeFocused();
      await page.keyboard.press('ArrowUp');
      await expect(message(page, `${p} 9`)).toBeFocused();
      await page.keyboard.press('End');
      await expect(message(page, `${p} 11`)).toBeFocused();
      await page.keyboard.press('ArrowUp');
      // Tab goes through the focused message's buttons (Add reaction, then its menu), then out of
      // the list; Shift+Tab comes back to it.
      await page.keyboard.press('Tab');
      await expect(message(page, `${p} 10`).getByTestId('add-reaction')).toBeFocused();
      await page.keyboard.press('Tab');
      await expect(message(page, `${p} 10`).getByTestId('message-menu')).toBeFocused();
      await page.keyboard.press('Tab');
      expect((await focused(page)).inList).toBe(false);
      await page.keyboard.press('Shift+Tab');
      await expect(message(page, `${p} 10`)).toBeFocused();

      // ? (outside a text box) lists the keys; Escape closes the list and the focus comes back.
      await page.keyboard.press('?');
      const help = page.getByTestId('shortcuts-help');
      await expect(help).toBeVisible();
      await expect(help.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible();
      await expectWhollyOnScreen(page, help, `key list ${at}`);
      await expectNoSeriousAxeViolations(page, `key list open ${at}`);
      await page.keyboard.press('Escape');
      await expect(help).toBeHidden();
      await expect(message(page, `${p} 10`)).toBeFocused();
      // In the box, ? is a question mark.
      await composer.focus();
      await page.keyboard.press('?');
      await expect(composer).toHaveValue('?');
      await expect(help).toBeHidden();
      await composer.fill('');

      // Ctrl+K: a combobox of the rooms, the most recent first, matching anywhere in the name.
      await page.keyboard.press('Control+k');
      const switcher = page.getByTestId('room-switcher');
      const search = switcher.getByRole('combobox');
      await expect(search).toBeFocused();
      await expect(switcher.getByRole('option').first()).toHaveAttribute('data-room', alpha);
      await expect(switcher.getByRole('option').last()).toHaveAttribute('data-room', beta);
      await expectWhollyOnScreen(page, switcher, `switcher ${at}`);
      await expectNoSeriousAxeViolations(page, `switcher open ${at}`);
      await page.keyboard.press('Escape');
      await expect(switcher).toBeHidden();
      await expect(composer).toBeFocused();
      await page.keyboard.press('Control+k');
      await page.keyboard.type(`TA-${stamp}`);
      await expect(switcher.getByRole('option')).toHaveCount(1);
      await expect(switcher.getByRole('option')).toHaveAttribute('data-room', beta);
      await search.fill(`PHA-${stamp}`);
      await expect(switcher.getByRole('option')).toHaveCount(1);
      await expect(search).toHaveAttribute('aria-activedescendant', /.+/);
      await page.keyboard.press('Enter');
      await expect(switcher).toBeHidden();
      await expect(page.getByTestId('room-title')).toContainText(alpha);
      await expect(composer).toBeFocused();
    }

    // Alt+Shift+↓ skips to the rooms with unread messages only: general, once Lou writes there.
    await page.keyboard.press('Alt+ArrowUp');
    await expect(page.getByTestId('room-title')).toContainText('general');
    await page.keyboard.press('Alt+ArrowDown');
    await expect(page.getByTestId('room-title')).toContainText(alpha);
    await send(lou.page, `unread for kit ${stamp}`);
    await expect(roomButton(page, 'general').getByTestId('room-unread')).toHaveText('1');
    await page.keyboard.press('Alt+Shift+ArrowDown');
    await expect(page.getByTestId('room-title')).toContainText('general');
    await expect(messageText(page, `unread for kit ${stamp}`)).toBeVisible();
    await expect(composer).toBeFocused();
  });
});

test('phone: every control has a 44×44 px touch area, and nothing scrolls sideways at 360 px', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Pia', 'Raj'], async ([pia]) => {
    const page = pia.page;
    await createRoom(page, `touch-${Date.now()}`);
    const text = `touch check ${Date.now()}`;
    await send(page, text);
    await expect(messageText(page, text)).toBeVisible();
    await page.setViewportSize(PHONE);

    /**
     * Every visible control smaller than 44×44 px. Links inside message text are text, and a code
     * block is content (focusable only so that a keyboard can scroll it): both exempt.
     */
    const tooSmall = () =>
      page.evaluate(() => {
        const controls = document.querySelectorAll<HTMLElement>(
          'button, a[href], input, textarea, select, summary, [role="menuitem"], [role="option"], [tabindex="0"]',
        );
        const shown = Array.from(controls)
          .filter(
            (element) =>
              !element.matches('[data-message-id], [data-testid="message-text"] a, [data-testid="message-text"] pre'),
          )
          .filter((element) => element.checkVisibility());
        // Not a vacuous pass: the page shows a good number of controls.
        if (shown.length < 8) return [`only ${shown.length} controls found`];
        return shown
          .map((element) => ({ element, box: element.getBoundingClientRect() }))
          .filter(({ box }) => box.width < 43.5 || box.height < 43.5)
          .map(
            ({ element, box }) =>
              `${element.tagName.toLowerCase()} "${element.getAttribute('aria-label') ?? element.textContent?.trim()}" ${Math.round(box.width)}×${Math.round(box.height)}`,
          );
      });
    const sideways = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

    expect(await tooSmall(), 'the conversation').toEqual([]);
    const item = await openMessageMenu(page, text);
    expect(await tooSmall(), 'a message menu').toEqual([]);
    await page.keyboard.press('Escape');
    await expect(item.getByRole('menu')).toBeHidden();
    await page.getByRole('button', { name: /^Rooms/ }).click();
    await expect(page.getByRole('button', { name: 'Message Raj' })).toBeVisible();
    expect(await tooSmall(), 'the sidebar: rooms, mute bells, Message buttons').toEqual([]);

    await page.setViewportSize({ width: 360, height: 740 });
    expect(await sideways(), 'sidebar open at 360 px').toBeLessThanOrEqual(0);
    await roomButton(page, 'general').click();
    await expect(page.getByTestId('room-title')).toContainText('general');
    expect(await sideways(), 'conversation at 360 px').toBeLessThanOrEqual(0);
    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('room-switcher')).toBeVisible();
    expect(await tooSmall(), 'the room switcher').toEqual([]);
    expect(await sideways(), 'switcher open at 360 px').toBeLessThanOrEqual(0);
  });
});
