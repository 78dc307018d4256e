// The SPA's initial transfer budget: Angular's budgets measure raw bytes only, so this measures
// what the browser downloads (brotli, as `ng build` estimates it) for the files index.html loads
// up front, and fails the build above the budget.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';

// 110 kB until private rooms, search, blocking and reactions at scale (2026-12-07): the message
// editor, the attachment tray and a message's files moved out of the first download to make room,
// and what remains of the team features is 0.1 kB over; 112 kB keeps the slack small on purpose.
// 113 kB with the installable app and its notification settings (2026-12-07): the service worker's
// page side and the settings panel with its state and effects are lazy, but the panel shares
// @ngrx/store and the API client with the first download, which moves them into a shared chunk of
// their own (0.3 kB of chunk overhead, measured); the manifest and theme colours add 0.07 kB to index.html.
// 116 kB with people (2026-12-07): avatars, presence dots, renames by id in every list and message,
// the away detector and the code that opens the (lazy) profile card and page: about 2.7 kB, to
// 115.8 kB; 117 kB leaves one kB. The
// next cuts to look at: the message menu, the reaction picker's trigger and the mention and
// shortcode lists could load on first use (about 5 kB brotli together).
const BUDGET_BYTES = 117 * 1000;
const dir = join(import.meta.dirname, '..', 'dist', 'spa', 'browser');
const html = await readFile(join(dir, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]),
);
let total = 0;
const rows = [];
for (const file of [...initial, 'index.html']) {
  const bytes = await readFile(join(dir, file));
  const size = brotliCompressSync(bytes).length;
  total += size;
  rows.push(
    `  ${file.padEnd(28)} ${(bytes.length / 1000).toFixed(2).padStart(8)} kB raw ${(size / 1000).toFixed(2).padStart(8)} kB transfer`,
  );
}
console.log(`Initial transfer size: ${(total / 1000).toFixed(2)} kB of a ${BUDGET_BYTES / 1000} kB budget`);
console.log(rows.join('\n'));
if (total > BUDGET_BYTES) {
  console.error(`Budget exceeded by ${((total - BUDGET_BYTES) / 1000).toFixed(2)} kB: keep big libraries lazy.`);
  process.exit(1);
}
