export interface ComposerError {
  readonly room: string;
  readonly message: string;
  /** `rate`: shown until the wait is over; `delay`: until the server answers again; `send`: until the next send. */
  readonly kind: 'rate' | 'delay' | 'send';
}

export function clearError(
  error: ComposerError | null,
  kind: ComposerError['kind'],
  room: string,
): ComposerError | null {
  return error?.kind === kind && error.room === room ? null : error;
}
