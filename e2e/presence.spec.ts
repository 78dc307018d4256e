import type { RunningStack } from '../local/stack/stack';
import { expect, signIn, test as base, withTestStack } from './stack';

/** Kills and restarts the SignalR Service, so it gets a stack of its own. */
const test = base.extend<{ ownStack: RunningStack }>({
  ownStack: async ({}, use) => withTestStack(use),
});
test.setTimeout(180_000);

test('someone who leaves while the SignalR Service is down turns offline within a minute of it returning', async ({
  browser,
  ownStack,
}) => {
  const ann = await signIn(browser, ownStack.urls.app, 'Ann');
  const ben = await signIn(browser, ownStack.urls.app, 'Ben');
  try {
    const benAtAnn = ann.page.getByTestId('user').filter({ hasText: 'Ben' });
    await expect(benAtAnn).toHaveAttribute('data-online', 'true');

    // The service goes down; Ben closes his browser meanwhile, so his disconnect is never told.
    await ownStack.processes.signalr.kill();
    await ben.context.close();
    await ownStack.processes.signalr.start();
    await expect(ann.page.getByTestId('connection-state')).toHaveText(/^\s*connected\s*$/, { timeout: 60_000 });

    // Ben's presence expires and Ann is told; Ann, heart-beating, is still online past the TTL.
    await expect(benAtAnn).toHaveAttribute('data-online', 'false', { timeout: 60_000 });
    const annOnline = await ann.page.evaluate(async () => {
      const body = (await (await fetch('/api/users?query=ann')).json()) as {
        users: { name: string; online: boolean }[];
      };
      return body.users.find((u) => u.name === 'Ann')?.online;
    });
    expect(annOnline).toBe(true);
  } finally {
    await ann.context.close();
  }
});
