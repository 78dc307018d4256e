import { Injectable } from '@angular/core';

import { MAX_THUMBNAIL_BYTES } from '../../../contract';

export interface ImagePreview {
  readonly width: number;
  readonly height: number;
  /** A JPEG of at most MAX_THUMBNAIL_BYTES when the image is large; undefined when it is small enough to show as it is. */
  readonly thumbnail?: Blob;
}

/** Images larger than this (bytes or longest side in pixels) get a thumbnail made before upload. */
const THUMBNAIL_ABOVE_BYTES = MAX_THUMBNAIL_BYTES;
const THUMBNAIL_ABOVE_PIXELS = 640;
/** The thumbnail's longest side, tried largest first until one fits MAX_THUMBNAIL_BYTES. */
const THUMBNAIL_SIDES = [480, 360, 240];

/** Measures images and draws their thumbnails in the browser (createImageBitmap and a canvas). */
@Injectable({ providedIn: 'root' })
export class ImagePreviews {
  /** Width, height and maybe a thumbnail; undefined when the browser cannot decode the file. GIFs keep their animation: no thumbnail. */
  async preview(file: Blob): Promise<ImagePreview | undefined> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      return undefined;
    }
    try {
      const { width, height } = bitmap;
      const large = file.size > THUMBNAIL_ABOVE_BYTES || Math.max(width, height) > THUMBNAIL_ABOVE_PIXELS;
      if (!large || file.type === 'image/gif') return { width, height };
      for (const side of THUMBNAIL_SIDES) {
        const thumbnail = await draw(bitmap, side);
        if (thumbnail && thumbnail.size <= MAX_THUMBNAIL_BYTES) return { width, height, thumbnail };
      }
      return { width, height };
    } finally {
      bitmap.close();
    }
  }
}

function draw(bitmap: ImageBitmap, side: number): Promise<Blob | null> {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d');
  if (!context) return Promise.resolve(null);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
}
