import { defineConfig } from '@playwright/test';

import { chromePath, CHROMIUM_FLAGS } from './local/testing/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  retries: 0,
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromePath(),
      args: CHROMIUM_FLAGS,
    },
  },
});
