import { expect, test, withPeople } from './stack';

test('two people chat in real time: a message appears in the other browser within 2 s, exactly once', async ({
  browser,
  stack,
}) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const text = `hello from Ann ${Date.now()}`;
    await ann.page.getByTestId('composer-input').fill(text);
    const sentAt = Date.now();
    await ann.page.getByTestId('composer-input').press('Enter');

    const atBen = ben.page.getByTestId('message-text').filter({ hasText: text });
    await expect(atBen).toHaveCount(1, { timeout: 2_000 });
    expect(Date.now() - sentAt).toBeLessThan(2_000);
    await expect(ben.page.getByTestId('message').filter({ hasText: text }).getByTestId('message-sender')).toHaveText(
      /Ann/,
    );

    const atAnn = ann.page.getByTestId('message-text').filter({ hasText: text });
    await expect(atAnn).toHaveCount(1);
    // Still exactly once after both the POST response and the broadcast have had time to land.
    const reply = `reply from Ben ${Date.now()}`;
    await ben.page.getByTestId('composer-input').fill(reply);
    await ben.page.getByTestId('composer-send').click();
    await expect(ann.page.getByTestId('message-text').filter({ hasText: reply })).toHaveCount(1, { timeout: 2_000 });
    await expect(atAnn).toHaveCount(1);
    await expect(atBen).toHaveCount(1);
    await expect(ben.page.getByTestId('message-text').filter({ hasText: reply })).toHaveCount(1);
  });
});

test('message text is shown as text, never as HTML', async ({ browser, stack }) => {
  await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const text = `<img src=x onerror="document.title='pwned'"> <b>bold</b> ${Date.now()}`;
    await ann.page.getByTestId('composer-input').fill(text);
    await ann.page.getByTestId('composer-input').press('Enter');
    const atBen = ben.page.getByTestId('message-text').filter({ hasText: text });
    await expect(atBen).toHaveCount(1);
    await expect(atBen.locator('img, b')).toHaveCount(0);
    expect(await ben.page.title()).not.toBe('pwned');
  });
});
