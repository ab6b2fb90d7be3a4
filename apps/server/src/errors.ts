import { API_ERRORS, type ApiErrorCode } from '@berth/api';

/** A failure a client can act on: a stable code, its HTTP status, a message. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = API_ERRORS[code];
  }
}
