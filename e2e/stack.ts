/**
 * Playwright fixtures: one real local stack per worker (Azurite, SignalR emulator, Functions host
 * serving the built SPA) on free ports, stopped when the worker ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
  test as base,
} from '@playwright/test';

import { freePort } from '../local/stack/ports';
import { type RunningStack, type StackPorts, startStack } from '../local/stack/stack';

export const root = resolve(__dirname, '..');

export async function freePorts(): Promise<StackPorts> {
  return { spa: 0, functions: await freePort(), signalr: await freePort(), tables: await freePort() };
}

/** A fresh data folder under .data/ for one test stack; remove it with {@link removeDataDir}. */
export async function newDataDir(): Promise<string> {
  await mkdir(join(root, '.data'), { recursive: true });
  return mkdtemp(join(root, '.data', 'e2e-'));
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function startTestStack(
  values: Record<string, string> = {},
  dataDir?: string,
  ports?: StackPorts,
  signalrArgs: string[] = [],
  signalrAccessKey?: string,
): Promise<RunningStack> {
  const lines: string[] = [];
  const stack = await startStack({
    ...(signalrAccessKey !== undefined && { signalrAccessKey }),
    root,
    dataDir: dataDir ?? (await newDataDir()),
    ports: ports ?? (await freePorts()),
    spa: 'static',
    signalrArgs,
    // A fixed session secret per stack, so sign-ins survive a Functions host restart (fault tests).
    values: { HUBBUB_AUTH_SECRET: randomBytes(32).toString('hex'), ...values },
    log: (line) => {
      lines.push(line);
      if (process.env['HUBBUB_E2E_LOG']) console.log(line);
    },
  });
  return stack;
}

/**
 * Opens a fresh browser context (its own cookies), signs in and waits for the chat: through the
 * app's sign-in button (the dev login), or straight through another `provider`'s local login (the
 * same name through two providers is two people).
 */
export async function signIn(
  browser: Browser,
  appUrl: string,
  name: string,
  provider?: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  if (provider) {
    await page.goto(new URL(`/.auth/login/${provider}?post_login_redirect_uri=/`, appUrl).href);
  } else {
    await page.goto(appUrl);
    await page.getByTestId('sign-in').click();
  }
  await page.getByLabel(/name/i).fill(name);
  await page.getByRole('button', { name: /sign in|continue/i }).click();
  await page.getByTestId('current-user').filter({ hasText: name }).waitFor();
  await page
    .getByTestId('connection-state')
    .filter({ hasText: /^\s*connected\s*$/ })
    .waitFor();
  return { context, page };
}

/** Signs each name in on a browser context of its own, runs `body`, and closes every context. */
export async function withPeople(
  browser: Browser,
  appUrl: string,
  names: readonly string[],
  body: (people: { context: BrowserContext; page: Page }[]) => Promise<void>,
): Promise<void> {
  const people: { context: BrowserContext; page: Page }[] = [];
  try {
    for (const name of names) people.push(await signIn(browser, appUrl, name));
    await body(people);
  } finally {
    for (const person of people) await person.context.close();
  }
}

/** Runs `body` with a fresh stack in a fresh data folder, and stops and removes both afterwards. */
export async function withTestStack(
  body: (stack: RunningStack) => Promise<void>,
  values: Record<string, string> = {},
  signalrArgs: string[] = [],
): Promise<void> {
  const dataDir = await newDataDir();
  const stack = await startTestStack(values, dataDir, undefined, signalrArgs);
  try {
    await body(stack);
  } finally {
    await stack.stop();
    await removeDataDir(dataDir);
  }
}

export const test = base.extend<object, { stack: RunningStack }>({
  stack: [async ({}, use) => withTestStack(use), { scope: 'worker', timeout: 120_000 }],
});

export { expect } from '@playwright/test';
