// Writes a brotli (`.br`) and a gzip (`.gz`) copy beside each text file of the built SPA, at the
// highest levels, once per build, so the `spa` function can answer compressed without compressing
// per request (Azure Functions does not compress responses for it). A copy that would not be
// smaller than the file is not written. Usage: node local/build/precompress-spa.mjs [dir]
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.webmanifest', '.txt', '.map', '.xml', '.ico']);
const MIN_BYTES = 256;

const dir = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'dist', 'spa', 'browser');
let files = 0;
let raw = 0;
let brotli = 0;
const list = async () =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
// Copies from an earlier build would be served for files that changed or are gone: start clean.
for (const file of await list()) if (file.endsWith('.br') || file.endsWith('.gz')) await rm(file);
for (const file of await list()) {
  if (!TEXT.has(extname(file).toLowerCase())) continue;
  const bytes = await readFile(file);
  if (bytes.length < MIN_BYTES) continue;
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
  if (br.length < bytes.length) await writeFile(`${file}.br`, br);
  if (gz.length < bytes.length) await writeFile(`${file}.gz`, gz);
  files += 1;
  raw += bytes.length;
  brotli += Math.min(br.length, bytes.length);
}
console.log(`Precompressed ${files} files: ${(raw / 1000).toFixed(1)} kB → ${(brotli / 1000).toFixed(1)} kB brotli`);
