import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

import { createRoom, openRoom } from './chat-page';
import { expect, signIn, test, withPeople } from './stack';

/** Types a message line by line, Shift+Enter between the lines (as a person would), and sends it. */
async function compose(page: Page, lines: readonly string[]): Promise<void> {
  const box = page.getByTestId('composer-input');
  await box.click();
  for (const [i, line] of lines.entries()) {
    if (i > 0) await box.press('Shift+Enter');
    await page.keyboard.insertText(line);
  }
  await expect(box).toHaveValue(lines.join('\n'));
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

function formattedMessage(page: Page, marker: string) {
  return page.getByTestId('message').filter({ hasText: marker }).getByTestId('message-text');
}

test('a formatted message renders formatted in the other browser; a javascript: link is no link; Copy copies the code', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    await ben.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.urls.app });
    const marker = `release-${Date.now()}`;
    await compose(ann.page, [
      `**${marker}** is _ready_ ~~maybe~~ :tada: notes at https://example.com/notes`,
      'do not [click](javascript:alert(document.domain)) or <img src=x onerror=alert(1)>',
      '> quoted line',
      '- first',
      '- second',
      '```',
      'npm run build && npm test',
      '```',
    ]);

    const text = formattedMessage(ben.page, marker);
    await expect(text.locator('strong')).toHaveText(marker);
    await expect(text.locator('em')).toHaveText('ready');
    await expect(text.locator('del')).toHaveText('maybe');
    await expect(text).toContainText('🎉');
    await expect(text.locator('blockquote')).toHaveText('quoted line');
    await expect(text.locator('ul > li')).toHaveText(['first', 'second']);
    await expect(text.locator('pre code')).toHaveText('npm run build && npm test');
    // Shift+Enter made line breaks, not one run-on line.
    expect(await text.locator('p').first().innerText()).toMatch(/notes\ndo not/);

    const links = text.locator('a');
    await expect(links).toHaveCount(1);
    await expect(links).toHaveAttribute('href', 'https://example.com/notes');
    await expect(links).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(links).toHaveAttribute('target', '_blank');
    await expect(text).toContainText('[click](javascript:alert(document.domain))');
    await expect(text.locator('img')).toHaveCount(0);

    const copy = text.getByTestId('copy-code');
    await expect(copy).toHaveAccessibleName('Copy code');
    await copy.focus();
    await ben.page.keyboard.press('Enter');
    await expect(copy).toHaveAccessibleName('Copied code');
    await expect(text.getByRole('status')).toHaveText('Code copied to the clipboard');
    expect(await ben.page.evaluate(() => navigator.clipboard.readText())).toBe('npm run build && npm test');

    // The sender sees the same formatting.
    await expect(formattedMessage(ann.page, marker).locator('pre code')).toHaveText('npm run build && npm test');

    // The conversation, where formatting renders (the sidebar and the rest have audits of their own).
    const results = await new AxeBuilder({ page: ben.page }).include('[data-testid="message-list"]').analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);
  });
});

test('a long code line scrolls inside its block at 360 px in dark mode, and the page does not widen', async ({
  browser,
  stack,
}) => {
  const ann = await signIn(browser, stack.urls.app, 'Ann');
  const narrow = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
  try {
    const marker = `wide-${Date.now()}`;
    await compose(ann.page, [marker, '```', `const ${'x'.repeat(300)} = 1;`, '```']);
    await narrow.addCookies(await ann.context.cookies());
    const page = await narrow.newPage();
    await page.goto(stack.urls.app);
    const pre = formattedMessage(page, marker).locator('pre');
    await expect(pre).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(await pre.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    // Keyboard users can scroll it: it takes focus, and the arrow keys move it.
    await pre.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => pre.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
    const results = await new AxeBuilder({ page }).include('[data-testid="message-list"]').analyze();
    expect(
      results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);
  } finally {
    await narrow.close();
    await ann.context.close();
  }
});

/**
 * The README's screenshot. Runs only when asked for, writing where asked:
 * `HUBBUB_SCREENSHOT=docs/screenshot.png npx playwright test e2e/formatting.spec.ts`.
 */
test('a formatted conversation, for the README', async ({ browser, stack }) => {
  const path = process.env['HUBBUB_SCREENSHOT'];
  test.skip(!path, 'set HUBBUB_SCREENSHOT to a file path to write the screenshot');
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    await ben.page.setViewportSize({ width: 1000, height: 660 });
    await createRoom(ann.page, 'release');
    await openRoom(ben.page, 'release');
    // (No emoji shortcodes here: the test machine's Chromium has no emoji font.)
    await compose(ann.page, ['Morning! The **1.4 release** is _almost_ ready.', 'Notes: https://example.com/notes']);
    await compose(ben.page, ['> The 1.4 release is almost ready', 'Nice! Did the `build` pass on ~~Friday~~ Monday?']);
    await compose(ann.page, ['It did, @Ben. To try it locally:', '```', 'npm install', 'npm start', '```']);
    await compose(ben.page, [
      'Checklist before we ship:',
      '1. Run `npm test`',
      '2. Update the **README**',
      '3. Tag the release',
    ]);
    const list = ben.page.getByTestId('message-list');
    await expect(list.locator('pre code')).toHaveText('npm install\nnpm start');
    await expect(list.getByTestId('mention')).toHaveText('@Ben');
    await expect(list.locator('hb-message-text ol > li')).toHaveCount(3);
    await expect(list.locator('hb-message-text ol > li').last()).toBeInViewport();
    await ben.page.screenshot({ path: path! });
  });
});
