// Renders the app's icons (src/icons/*.png, committed) from the same drawing as favicon.svg, in
// the Chromium the e2e tests use. Run again only when the drawing changes:
//   node local/build/make-icons.mjs
// `any` icons: the bubble on a transparent ground. `maskable`: the bubble inside the central
// 80 % safe zone on a full-bleed ground, so any mask shape (circle, squircle) keeps it whole.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { chromium } from '@playwright/test';

const BUBBLE =
  '<path fill="#3b5bdb" d="M10 6h44a8 8 0 0 1 8 8v28a8 8 0 0 1-8 8H28L14 60V50h-4a8 8 0 0 1-8-8V14a8 8 0 0 1 8-8z"/>' +
  '<circle cx="20" cy="28" r="5" fill="#fff"/><circle cx="32" cy="28" r="5" fill="#fff"/><circle cx="44" cy="28" r="5" fill="#fff"/>';

const icons = [
  {
    file: 'icon-192.png',
    size: 192,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${BUBBLE}</svg>`,
  },
  {
    file: 'icon-512.png',
    size: 512,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${BUBBLE}</svg>`,
  },
  {
    file: 'icon-maskable-512.png',
    size: 512,
    // The bubble scaled to 56 % and centred: well inside the 80 % circle a mask may keep.
    svg:
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#ffffff"/>' +
      `<g transform="translate(14.08 14.08) scale(0.56)">${BUBBLE}</g></svg>`,
  },
];

const chrome = execFileSync(
  'sh',
  ['-c', 'command -v chromium || command -v chromium-browser || command -v google-chrome'],
  {
    encoding: 'utf8',
  },
).trim();
const browser = await chromium.launch({ executablePath: process.env['CHROME_PATH'] ?? chrome, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const { file, size, svg } of icons) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
    );
    await page.screenshot({ path: join(import.meta.dirname, '..', '..', 'src', 'icons', file), omitBackground: true });
    console.log(`src/icons/${file} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
