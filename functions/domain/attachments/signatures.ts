/**
 * Whether a file's first bytes are those of the type it was declared as (its "magic number").
 *
 * A small table of our own rather than a library: no file-sniffing package (such as `file-type`) is
 * installed, package.json is shared and this change adds no dependency, and we need the reverse
 * question anyway — not "what is this?" but "is this really the
 * declared type?" — for exactly the types of ALLOWED_ATTACHMENT_TYPES. A type without an entry
 * here is refused, so a type added to the allow-list must be given its signature.
 *
 * What each check looks at (offsets from the file's start):
 * - PNG `89 50 4E 47 0D 0A 1A 0A`; JPEG `FF D8 FF`; GIF `GIF87a`/`GIF89a`; WebP `RIFF`…`WEBP` (8).
 * - PDF `%PDF-` within the first 1024 bytes (what readers accept).
 * - ZIP and what is built on it (Office Open XML, OpenDocument): `PK 03 04`, or `PK 05 06` (empty);
 *   a password-protected Office Open XML file is an OLE2 compound file instead, so both pass for those.
 * - 7z `37 7A BC AF 27 1C`; gzip `1F 8B`; older Office (OLE2 compound file) `D0 CF 11 E0 A1 B1 1A E1`.
 * - MP4 family (video/mp4, audio/mp4, m4a): `ftyp` at 4. WebM/Matroska: EBML `1A 45 DF A3`.
 * - MP3: an ID3v2 tag `ID3`, or an MPEG audio frame sync (11 set bits: `FF Ex`). Ogg: `OggS`.
 * - text/plain and text/csv: text, i.e. no NUL byte in what was read (UTF-16 with its BOM excepted).
 *   Text is served as a download with the signed type text/plain or text/csv, so markup in it is
 *   only ever shown as text; declared as an image, an SVG or HTML file fails the image's check.
 */

/** How many bytes of the file the checks need at most. */
export const SIGNATURE_BYTES = 4096;

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0): boolean =>
  head.length >= at + bytes.length && bytes.every((byte, i) => head[at + i] === byte);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const zip = (head: Uint8Array): boolean =>
  startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]);
const ole2 = (head: Uint8Array): boolean => startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const zipOrOle2 = (head: Uint8Array): boolean => zip(head) || ole2(head);
const isoMedia = (head: Uint8Array): boolean => startsWith(head, ascii('ftyp'), 4);
const ebml = (head: Uint8Array): boolean => startsWith(head, [0x1a, 0x45, 0xdf, 0xa3]);
const text = (head: Uint8Array): boolean =>
  startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]) || !head.includes(0);

const SIGNATURES: Readonly<Record<string, (head: Uint8Array) => boolean>> = {
  'image/png': (head) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (head) => startsWith(head, [0xff, 0xd8, 0xff]),
  'image/gif': (head) => startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a')),
  'image/webp': (head) => startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8),
  'application/pdf': (head) => Buffer.from(head.subarray(0, 1024)).includes('%PDF-'),
  'text/plain': text,
  'text/csv': text,
  'application/zip': zip,
  'application/x-7z-compressed': (head) => startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]),
  'application/gzip': (head) => startsWith(head, [0x1f, 0x8b]),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': zipOrOle2,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': zipOrOle2,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': zipOrOle2,
  'application/vnd.oasis.opendocument.text': zip,
  'application/vnd.oasis.opendocument.spreadsheet': zip,
  'application/vnd.oasis.opendocument.presentation': zip,
  'application/msword': ole2,
  'application/vnd.ms-excel': ole2,
  'application/vnd.ms-powerpoint': ole2,
  'video/mp4': isoMedia,
  'audio/mp4': isoMedia,
  'video/webm': ebml,
  'audio/webm': ebml,
  'audio/mpeg': (head) => startsWith(head, ascii('ID3')) || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0),
  'audio/ogg': (head) => startsWith(head, ascii('OggS')),
};

/** True when `head` (the file's first {@link SIGNATURE_BYTES} bytes, or all of a shorter file) fits `type`. */
export function matchesSignature(type: string, head: Uint8Array): boolean {
  const check = Object.hasOwn(SIGNATURES, type) ? SIGNATURES[type] : undefined;
  return check !== undefined && check(head);
}

/** The allowed types that have no signature here (a test keeps this empty). */
export function typesWithoutSignature(types: readonly string[]): string[] {
  return types.filter((type) => !Object.hasOwn(SIGNATURES, type));
}
