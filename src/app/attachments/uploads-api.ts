import { inject, Injectable, InjectionToken } from '@angular/core';
import { Observable } from 'rxjs';

import { apiPath, Routes, type UploadComplete, type UploadRequest, type UploadResponse } from '../../../contract';
import { ApiClient, ApiError } from '../core/api-client';

/** The browser's XMLHttpRequest, injectable so specs can stand in for Blob Storage. */
export const XHR = new InjectionToken<() => XMLHttpRequest>('XMLHttpRequest', {
  providedIn: 'root',
  factory: () => () => new XMLHttpRequest(),
});

/** `loaded` bytes of the body have gone out; the last event is the one with `done`. */
export interface PutProgress {
  readonly loaded: number;
  readonly done: boolean;
}

@Injectable({ providedIn: 'root' })
export class UploadsApi {
  private readonly api = inject(ApiClient);
  private readonly xhr = inject(XHR);

  /** A write URL for one new file of the room (the server checks membership, size, type and name). */
  request(room: string, file: UploadRequest): Observable<UploadResponse> {
    return this.api.post<UploadResponse>(apiPath(Routes.uploads, { room }), file);
  }

  /**
   * Tells the server the bytes are stored: it checks them against what was declared (size, type,
   * the type's signature) and answers 409, having deleted them, when they are not what was declared.
   */
  complete(room: string, uploadId: string): Observable<UploadComplete> {
    return this.api.post<UploadComplete>(apiPath(Routes.uploadComplete, { room, id: uploadId }), {});
  }

  /**
   * PUTs the bytes straight to Blob Storage under the write URL. XMLHttpRequest rather than fetch:
   * only it reports upload progress (fetch's request streams need HTTP/2 and duplex, which Azurite's
   * HTTP/1.1 endpoint does not offer). Unsubscribing aborts the request.
   */
  put(url: string, body: Blob, type: string): Observable<PutProgress> {
    return new Observable<PutProgress>((subscriber) => {
      const request = this.xhr();
      request.open('PUT', url);
      request.setRequestHeader('x-ms-blob-type', 'BlockBlob');
      request.setRequestHeader('content-type', type);
      request.upload.onprogress = (event) => subscriber.next({ loaded: event.loaded, done: false });
      request.onload = () => {
        if (request.status >= 200 && request.status < 300) {
          subscriber.next({ loaded: body.size, done: true });
          subscriber.complete();
        } else {
          subscriber.error(storageError(request.status, request.responseText));
        }
      };
      request.onerror = () => subscriber.error(new ApiError(0, 'network', 'The connection was lost while uploading'));
      request.ontimeout = request.onerror;
      request.send(body);
      return () => {
        if (request.readyState !== XMLHttpRequest.DONE) request.abort();
      };
    });
  }
}

/** Blob Storage answers XML; what a person needs is what happened and whether to try again. */
function storageError(status: number, body: string): ApiError {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? `http_${status}`;
  if (status === 403 && /AuthenticationFailed|AuthorizationFailure/.test(code)) {
    // Most often the write URL expired (10 minutes) while the file waited: a retry asks for a new one.
    return new ApiError(503, code, 'Blob Storage refused the upload (the link may have expired)');
  }
  return new ApiError(status, code, `Blob Storage answered ${status} (${code})`);
}
