import type { ApiError } from '../core/api-client';

/** The words for a change the server refused, shown on the message. */
export function changeErrorText(error: ApiError): string {
  switch (error.status) {
    case 0:
      return "Can't reach the server — the change was not saved";
    case 404:
      return 'That message no longer exists';
    case 429:
      return error.retryAfterSeconds
        ? `You're changing messages too fast — try again in ${error.retryAfterSeconds} s`
        : "You're changing messages too fast — try again in a moment";
    default:
      // 400, 403 and 409 say what was wrong in the server's own words ("Only the author can edit a message").
      return error.status >= 500 ? 'The server failed — the change may not have been saved; try again' : error.message;
  }
}
