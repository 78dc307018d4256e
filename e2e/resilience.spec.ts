import { randomBytes } from 'node:crypto';

import type { Page } from '@playwright/test';
import { test as plain } from '@playwright/test';

import type { RunningStack } from '../local/stack/stack';
import { startTcpRelay } from '../local/testing/tcp-relay';
import { send } from './chat-page';
import {
  expect,
  freePorts,
  newDataDir,
  removeDataDir,
  signIn,
  startTestStack,
  test as base,
  withPeople,
  withTestStack,
} from './stack';

/** Fault tests kill and restart parts of the stack, so each gets a stack of its own. */
const test = base.extend<{ ownStack: RunningStack }>({
  ownStack: async ({}, use) => withTestStack(use),
});
test.setTimeout(150_000);

async function texts(page: Page, prefix: string): Promise<string[]> {
  return (await page.getByTestId('message-text').allTextContents())
    .map((t) => t.trim())
    .filter((t) => t.startsWith(prefix));
}

async function expectExactlyOnceInOrder(page: Page, prefix: string, expected: string[]): Promise<void> {
  await expect.poll(() => texts(page, prefix), { timeout: 60_000 }).toEqual(expected);
}

test('the SignalR Service dies mid-conversation: after it returns every message is there exactly once, in order', async ({
  browser,
  ownStack,
}) => {
  await withPeople(browser, ownStack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const p = `outage ${Date.now()}`;
    const sent: string[] = [];
    const say = async (page: Page, who: string, n: number) => {
      const text = `${p} ${who} ${n}`;
      await send(page, text);
      sent.push(text);
      // Each send is accepted (stored) before the next, so the server's order is the order sent.
      await expect(page.getByTestId('message').filter({ hasText: text })).toHaveAttribute('data-status', 'sent', {
        timeout: 30_000,
      });
    };
    await say(ann.page, 'ann', 1);
    await expectExactlyOnceInOrder(ben.page, p, sent);

    await ownStack.processes.signalr.kill();
    await expect(ann.page.getByTestId('connection-state')).not.toHaveText(/^\s*connected\s*$/, { timeout: 45_000 });
    await say(ann.page, 'ann', 2);
    await say(ben.page, 'ben', 3);
    await say(ann.page, 'ann', 4);
    await ownStack.processes.signalr.start();

    for (const { page } of [ann, ben]) {
      await expect(page.getByTestId('connection-state')).toHaveText(/^\s*connected\s*$/, { timeout: 60_000 });
    }
    await say(ben.page, 'ben', 5);
    await expectExactlyOnceInOrder(ann.page, p, sent);
    await expectExactlyOnceInOrder(ben.page, p, sent);
  });
});

test('the Functions host dies: messages sent meanwhile wait, then arrive exactly once', async ({
  browser,
  ownStack,
}) => {
  await withPeople(browser, ownStack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const p = `queued ${Date.now()}`;
    await ownStack.processes.functions.kill();
    const queued = [`${p} one`, `${p} two`, `${p} three`];
    for (const text of queued) await send(ann.page, text);
    for (const text of queued) {
      await expect(ann.page.getByTestId('message').filter({ hasText: text })).toHaveAttribute(
        'data-status',
        /pending|failed/,
      );
    }
    await ownStack.processes.functions.start();
    // Failed ones offer a retry; pending ones go by themselves.
    for (const text of queued) {
      const message = ann.page.getByTestId('message').filter({ hasText: text });
      const retry = message.getByTestId('message-retry');
      if (await retry.isVisible()) await retry.click();
      await expect(message).toHaveAttribute('data-status', 'sent', { timeout: 60_000 });
    }
    await expectExactlyOnceInOrder(ben.page, p, queued);
    await expectExactlyOnceInOrder(ann.page, p, queued);
  });
});

test('a message typed while the API is down survives closing the page, and is sent once when it is back', async ({
  browser,
  ownStack,
}) => {
  await withPeople(browser, ownStack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const text = `kept in the outbox ${Date.now()}`;
    await ownStack.processes.functions.kill();
    await send(ann.page, text);
    await expect(ann.page.getByTestId('message').filter({ hasText: text })).toHaveAttribute(
      'data-status',
      /pending|failed/,
    );
    // The tab goes away with the message unsent; the API comes back; the person opens Hubbub again.
    await ann.page.close();
    await ownStack.processes.functions.start();
    const again = await ann.context.newPage();
    await again.goto(ownStack.urls.app);
    await expect(again.getByTestId('message').filter({ hasText: text })).toHaveAttribute('data-status', 'sent', {
      timeout: 60_000,
    });
    await expectExactlyOnceInOrder(ben.page, text, [text]);
    await again.reload();
    await expectExactlyOnceInOrder(again, text, [text]);
  });
});

test('storage goes down: sends say the service is unavailable, and everything accepted is there after it returns', async ({
  browser,
  ownStack,
}) => {
  await withPeople(browser, ownStack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
    const p = `storage ${Date.now()}`;
    await send(ann.page, `${p} before`);
    await expect(ann.page.getByTestId('message').filter({ hasText: `${p} before` })).toHaveAttribute(
      'data-status',
      'sent',
    );
    await ownStack.processes.azurite.stop();
    await send(ann.page, `${p} during`);
    await expect(ann.page.getByText(/unavailable/i).first()).toBeVisible({ timeout: 30_000 });
    await ownStack.processes.azurite.start();
    const during = ann.page.getByTestId('message').filter({ hasText: `${p} during` });
    const retry = during.getByTestId('message-retry');
    await expect
      .poll(
        async () => {
          if (await retry.isVisible()) await retry.click();
          return during.getAttribute('data-status');
        },
        { timeout: 60_000 },
      )
      .toBe('sent');
    await ben.page.reload();
    await expectExactlyOnceInOrder(ben.page, p, [`${p} before`, `${p} during`]);
  });
});

plain(
  'with 5-second tokens, a long session keeps working: every reconnect negotiates a fresh token',
  async ({ browser }) => {
    plain.setTimeout(150_000);
    // No clock skew, so the emulator refuses a token the moment it expires.
    const options = [{ AzureSignalRTokenLifetimeSeconds: '5' }, ['--clock-skew', '0']] as const;
    await withTestStack(
      async (stack) => {
        const ann = await signIn(browser, stack.urls.app, 'Ann');
        const ben = await signIn(browser, stack.urls.app, 'Ben');
        const firstTokensExpire = Date.now() + 5_000;
        const p = `long ${Date.now()}`;
        await send(ann.page, `${p} early`);
        await expectExactlyOnceInOrder(ben.page, p, [`${p} early`]);
        // Outlive the tokens both browsers connected with.
        await expect.poll(() => Date.now() > firstTokensExpire + 500, { timeout: 10_000 }).toBe(true);
        await send(ann.page, `${p} on the old socket`);
        await expectExactlyOnceInOrder(ben.page, p, [`${p} early`, `${p} on the old socket`]);
        // The service restarts: both reconnect, which only works with freshly negotiated tokens.
        await stack.processes.signalr.restart();
        for (const { page } of [ann, ben]) {
          await expect(page.getByTestId('connection-state')).toHaveText(/^\s*connected\s*$/, { timeout: 60_000 });
        }
        await send(ben.page, `${p} after reconnect`);
        await expectExactlyOnceInOrder(ann.page, p, [`${p} early`, `${p} on the old socket`, `${p} after reconnect`]);
        await ann.context.close();
        await ben.context.close();
      },
      options[0],
      [...options[1]],
    );
  },
);

plain(
  'the path from the Functions app to SignalR is cut while everyone stays connected: the message shows within seconds of it coming back',
  async ({ browser }) => {
    plain.setTimeout(150_000);
    const ports = await freePorts();
    // The Functions app reaches the service's REST API through a relay we can cut; browsers connect straight to it.
    const relay = await startTcpRelay(ports.signalr);
    const dataDir = await newDataDir();
    const key = randomBytes(32).toString('base64url');
    const stack = await startTestStack(
      {
        AzureSignalRConnectionString: `Endpoint=http://127.0.0.1;Port=${relay.port};AccessKey=${key};ClientEndpoint=http://127.0.0.1:${ports.signalr};Version=1.0;`,
      },
      dataDir,
      ports,
      [],
      key,
    );
    try {
      await withPeople(browser, stack.urls.app, ['Ann', 'Ben'], async ([ann, ben]) => {
        const p = `cut ${Date.now()}`;
        await send(ann.page, `${p} before`);
        await expectExactlyOnceInOrder(ben.page, p, [`${p} before`]);

        await relay.cutOff();
        await send(ann.page, `${p} during`);
        // Stored: the first attempt's broadcast failed (500), its retry found it stored.
        await expect(ann.page.getByTestId('message').filter({ hasText: `${p} during` })).toHaveAttribute(
          'data-status',
          'sent',
          { timeout: 30_000 },
        );
        await expect(ben.page.getByTestId('message-text').filter({ hasText: `${p} during` })).toHaveCount(0);

        await relay.restore();
        const restored = Date.now();
        await expectExactlyOnceInOrder(ben.page, p, [`${p} before`, `${p} during`]);
        test
          .info()
          .annotations.push({ type: 'shown after the path returned', description: `${Date.now() - restored} ms` });
        expect(Date.now() - restored).toBeLessThan(10_000);
        // Nobody reconnected or reloaded to see it.
        for (const { page } of [ann, ben])
          await expect(page.getByTestId('connection-state')).toHaveText(/^\s*connected\s*$/);
      });
    } finally {
      await stack.stop();
      await relay.stop();
      await removeDataDir(dataDir);
    }
  },
);
