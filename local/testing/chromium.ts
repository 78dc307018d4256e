/** The browser the e2e tests and the SPA benchmark drive: never one Playwright downloads. */
import { execFileSync } from 'node:child_process';

/** A user's own Chrome via CHROME_PATH, else Debian's chromium on PATH. */
export function chromePath(): string {
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

/** Headless, and quiet on a machine with no internet: no background or update traffic. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
