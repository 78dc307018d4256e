import { execFileSync } from 'node:child_process';

import { defineConfig } from '@playwright/test';

/** A user's own Chrome via CHROME_PATH, else Debian's chromium on PATH; Playwright's downloads are never used. */
function chromePath(): string {
  if (process.env['CHROME_PATH']) return process.env['CHROME_PATH'];
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('No Chromium found: install it (apt-get install chromium) or set CHROME_PATH');
}

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
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
