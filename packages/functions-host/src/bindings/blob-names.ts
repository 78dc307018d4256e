/**
 * The checks a blob path gets after its binding expressions are resolved, before any request is
 * sent. The extension's own (BlobPath.ParseAndValidate / BlobNameValidationAttribute in
 * Microsoft.Azure.WebJobs.Extensions.Storage.Blobs): a container name of 3-63 lower-case letters,
 * digits and single hyphens (or `$root`); a blob name of 1-1024 characters with no backslash and
 * not ending with `.` or `/`. And one more, because a blob URL is resolved like any URL: no `.` or
 * `..` segment, also once percent-decoded (`%2e%2e`, `..%2F`), so a name from request or trigger
 * data can never reach another container or another blob than the one its path names.
 */

const CONTAINER_NAME = /^(?:\$root|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,61}[a-z0-9])$/;
const MAX_BLOB_NAME = 1024;
/** Enough for `%252e` inside `%25252e`: each round decodes one layer. */
const MAX_DECODE_ROUNDS = 4;

/** Why a container name is unacceptable, or undefined when it is fine. */
export function containerNameProblem(name: string): string | undefined {
  if (CONTAINER_NAME.test(name)) return undefined;
  return `Invalid container name '${name}': 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit`;
}

/** True when `text`, as given or percent-decoded, has a `.` or `..` path segment. */
export function hasDotSegment(text: string): boolean {
  let current = text;
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
    if (current.split('/').some((segment) => segment === '.' || segment === '..')) return true;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      // A malformed escape decodes no further; what could be decoded was checked.
      return false;
    }
    if (decoded === current) return false;
    current = decoded;
  }
  return false;
}

/** Why a blob name is unacceptable, or undefined when it is fine. */
export function blobNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_BLOB_NAME) {
    return `Invalid blob name '${name}': a blob name is 1 to ${MAX_BLOB_NAME} characters`;
  }
  if (name.includes('\\')) return `Invalid blob name '${name}': a blob name cannot contain '\\'`;
  if (hasDotSegment(name)) {
    return `Invalid blob name '${name}': a '.' or '..' path segment (also percent-encoded) is not allowed`;
  }
  if (name.endsWith('.') || name.endsWith('/')) {
    return `Invalid blob name '${name}': a blob name cannot end with '.' or '/'`;
  }
  return undefined;
}
