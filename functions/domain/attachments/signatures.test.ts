import { ALLOWED_ATTACHMENT_TYPES } from '../../../contract';
import { matchesSignature, typesWithoutSignature } from './signatures';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

const SVG = bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
const HTML = bytes('<!doctype html><script>alert(1)</script>');

describe('file signatures', () => {
  it('has a signature for every allowed type', () => {
    expect(typesWithoutSignature(ALLOWED_ATTACHMENT_TYPES)).toEqual([]);
  });

  it.each([
    ['image/png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13])],
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')],
    ['image/gif', bytes('GIF89a', [1, 0, 1, 0])],
    ['image/webp', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ')],
    ['application/pdf', bytes('%PDF-1.7\n')],
    ['application/zip', bytes([0x50, 0x4b, 0x03, 0x04], [20, 0])],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes([0x50, 0x4b, 3, 4])],
    ['application/msword', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    // A password-protected .xlsx is an OLE2 compound file.
    [
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    ],
    ['application/x-7z-compressed', bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
    ['application/gzip', bytes([0x1f, 0x8b, 8])],
    ['video/mp4', bytes([0, 0, 0, 0x20], 'ftypisom')],
    ['audio/mp4', bytes([0, 0, 0, 0x1c], 'ftypM4A ')],
    ['video/webm', bytes([0x1a, 0x45, 0xdf, 0xa3])],
    ['audio/webm', bytes([0x1a, 0x45, 0xdf, 0xa3])],
    ['audio/mpeg', bytes('ID3', [4, 0])],
    ['audio/mpeg', bytes([0xff, 0xfb, 0x90, 0x64])],
    ['audio/ogg', bytes('OggS', [0, 2])],
    ['text/plain', bytes('hello, <b>markup</b> is just text here')],
    ['text/csv', bytes('a,b\n1,2\n')],
  ])('accepts %s with its signature', (type, head) => {
    expect(matchesSignature(type, head)).toBe(true);
  });

  it.each([
    ['image/png', SVG],
    ['image/jpeg', HTML],
    ['image/gif', SVG],
    ['image/webp', bytes('RIFF', [0, 0, 0, 0], 'WAVE')],
    ['application/pdf', HTML],
    ['application/zip', bytes('MZ')],
    ['video/mp4', HTML],
    ['audio/mpeg', SVG],
    ['audio/ogg', bytes('RIFF')],
    ['text/plain', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['image/svg+xml', SVG],
  ])('refuses %s whose bytes say otherwise (or a type it has no signature for)', (type, head) => {
    expect(matchesSignature(type, head)).toBe(false);
  });
});
