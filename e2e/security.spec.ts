/**
 * Browser hardening as a person's browser sees it: the app runs under its strict CSP with no
 * violation at all (sign in, connect, send, receive), cannot be framed by another page, and a
 * right-to-left override in a message stays inside that message.
 */
import { send } from './chat-page';
import { expect, signIn, test } from './stack';

test('the app runs under its Content-Security-Policy without a single violation', async ({ browser, stack }) => {
  const context = await browser.newContext();
  const violations: string[] = [];
  await context.exposeBinding('reportCspViolation', (_source, text: string) => {
    violations.push(text);
  });
  // Installed before any page script runs, on every document the context opens.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation;
      void report(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  try {
    const response = await page.goto(stack.urls.app);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response?.headers()['x-frame-options']).toBe('DENY');

    await page.getByTestId('sign-in').click();
    await page.getByLabel(/name/i).fill('Csp Ann');
    await page.getByRole('button', { name: /sign in|continue/i }).click();
    await page.getByTestId('current-user').filter({ hasText: 'Csp Ann' }).waitFor();
    await page
      .getByTestId('connection-state')
      .filter({ hasText: /^\s*connected\s*$/ })
      .waitFor();
    const text = `under CSP \u202Eevil\u202C ${Date.now()}`;
    await send(page, text);
    const shown = page.getByTestId('message-text').filter({ hasText: text });
    await expect(shown).toHaveCount(1);
    // Angular's component styles applied (they are nonce'd <style> elements): the list is styled.
    expect(await page.locator('style[nonce]').count()).toBeGreaterThan(0);
    // The override in the text is isolated in its own element; the sender beside it is too.
    expect(await shown.evaluate((element) => getComputedStyle(element).unicodeBidi)).toBe('isolate');
    const sender = page.getByTestId('message').filter({ hasText: text }).getByTestId('message-sender');
    expect(await sender.evaluate((element) => getComputedStyle(element).unicodeBidi)).toBe('isolate');
    await page.reload();
    await expect(page.getByTestId('message-text').filter({ hasText: text })).toHaveCount(1);
    expect(violations).toEqual([]);
    // Control: the listener does see a violation, so the empty list above means something.
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { outline: 1px solid red }';
      document.head.append(style);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toContain('style-src');
  } finally {
    await context.close();
  }
});

test('another page cannot frame the app over its buttons', async ({ browser, stack }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // A page on another origin (127.0.0.1 is not localhost) that frames the chat.
    const other = stack.urls.app.replace('localhost', '127.0.0.1');
    await page.goto(`${other}/.auth/me`);
    await page.setContent(
      `<iframe id="victim" src="${stack.urls.app}" width="800" height="600"></iframe>` +
        // Control: a response without frame-ancestors does load in a frame on this page.
        `<iframe id="control" src="${stack.urls.app}/.auth/me"></iframe>`,
    );
    await expect.poll(() => page.frame({ url: /\/\.auth\/me$/ }) !== null).toBe(true);
    await page.waitForTimeout(500);
    const frame = page.frame({ url: (url) => url.href.replace(/\/$/, '') === stack.urls.app });
    const rendered = frame
      ? await frame
          .locator('hb-root')
          .count()
          .catch(() => 0)
      : 0;
    expect(rendered).toBe(0);
  } finally {
    await context.close();
  }
});

test('signing out ends the session: a copy of the old cookie no longer opens the chat', async ({ browser, stack }) => {
  const { context, page } = await signIn(browser, stack.urls.app, 'Logout Lee');
  const copy = await browser.newContext();
  try {
    await copy.addCookies(await context.cookies());
    const stolen = await copy.newPage();
    await stolen.goto(stack.urls.app);
    await stolen.getByTestId('current-user').filter({ hasText: 'Logout Lee' }).waitFor();
    await stolen.close();

    await page.getByRole('link', { name: 'Sign out' }).click();
    await expect(page.getByTestId('sign-in')).toBeVisible();

    const after = await copy.newPage();
    await after.goto(stack.urls.app);
    await expect(after.getByTestId('sign-in')).toBeVisible();
    await expect(after.getByTestId('current-user')).toHaveCount(0);
  } finally {
    await copy.close();
    await context.close();
  }
});
