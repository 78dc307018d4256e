// Bundles the service worker (src/service-worker/sw.ts) into dist/spa/browser/sw.js after `ng build`,
// with the list of files to precache (the app shell's scripts, styles, chunks, icons and manifest)
// and a version that is a hash of those files, so a deployment that changes the app changes the
// worker and the browser installs it (docs/push-client.md). Usage: node local/build/service-worker.mjs [dir]
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const dir = process.argv[2] ?? join(root, 'dist', 'spa', 'browser');
/** What the installed app needs offline; the emoji table (large, optional) and compressed copies are left out. */
const PRECACHE = /\.(js|css|png|svg|webmanifest|woff2)$/;
const SKIP = /^(sw\.js|emoji\/)/;

const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile())
  .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
  .filter((file) => PRECACHE.test(file) && !SKIP.test(file))
  .sort();
const hash = createHash('sha256');
for (const file of [...files, 'index.html']) {
  hash.update(file);
  hash.update(await readFile(join(dir, file)));
}
const version = hash.digest('hex').slice(0, 16);
await build({
  entryPoints: [join(root, 'src', 'service-worker', 'sw.ts')],
  outfile: join(dir, 'sw.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  tsconfig: join(root, 'tsconfig.sw.json'),
  define: {
    HUBBUB_VERSION: JSON.stringify(version),
    HUBBUB_PRECACHE: JSON.stringify(files.map((file) => `/${file}`)),
  },
  logLevel: 'warning',
});
console.log(`Service worker ${version}: ${files.length} files precached beside the app shell`);
