import { AVATAR_SIZE_PX, type AvatarType, MAX_AVATAR_BYTES, MAX_AVATAR_SOURCE_BYTES } from '../../../contract';

/** What a person may pick as an avatar (a GIF gives its first frame: it is redrawn). */
export const AVATAR_SOURCE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

/** Why a picked file cannot be an avatar, in words for the person; null when it may. */
export function avatarSourceProblem(file: { readonly size: number; readonly type: string }): string | null {
  if (!(AVATAR_SOURCE_TYPES as readonly string[]).includes(file.type))
    return 'An avatar must be a PNG, JPEG, WebP or GIF image.';
  if (file.size > MAX_AVATAR_SOURCE_BYTES)
    return `An avatar must be at most ${MAX_AVATAR_SOURCE_BYTES / (1024 * 1024)} MB before resizing.`;
  return null;
}

/** Where the square taken from a `width` × `height` picture lies: its middle, as large as fits. */
export function centreSquare(width: number, height: number): { sx: number; sy: number; side: number } {
  const side = Math.min(width, height);
  return { sx: Math.floor((width - side) / 2), sy: Math.floor((height - side) / 2), side };
}

/**
 * The picked image cropped to its centre square and drawn at AVATAR_SIZE_PX, encoded as WebP (PNG
 * where the browser cannot encode WebP, JPEG if that is still over MAX_AVATAR_BYTES). The browser
 * decodes the file, so a file that is not the image it claims to be fails here.
 */
export async function squareAvatar(file: Blob): Promise<{ blob: Blob; type: AvatarType }> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error('That file is not an image this browser can read.');
  }
  const { sx, sy, side } = centreSquare(bitmap.width, bitmap.height);
  const size = AVATAR_SIZE_PX;
  const canvas =
    typeof OffscreenCanvas === 'undefined'
      ? Object.assign(document.createElement('canvas'), { width: size, height: size })
      : new OffscreenCanvas(size, size);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot resize images.');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, sx, sy, side, side, 0, 0, size, size);
  bitmap.close();
  for (const [type, quality] of [
    ['image/webp', 0.85],
    ['image/png', undefined],
    ['image/jpeg', 0.85],
  ] as const) {
    const blob = await encode(canvas, type, quality);
    // A browser without a WebP encoder answers PNG instead.
    if (blob && blob.type === type && blob.size <= MAX_AVATAR_BYTES) return { blob, type };
  }
  throw new Error('That image could not be made small enough.');
}

function encode(canvas: HTMLCanvasElement | OffscreenCanvas, type: string, quality?: number): Promise<Blob | null> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type, quality }).catch(() => null);
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}
