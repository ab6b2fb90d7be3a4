/**
 * OCI distribution error codes Berth answers on /v2, each with its HTTP status
 * (the distribution spec's table, plus TOOMANYREQUESTS).
 */
export const OCI_ERRORS = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
  UNAVAILABLE: 503,
} as const;

export type OciErrorCode = keyof typeof OCI_ERRORS;

/** An error answered on /v2 in the OCI `{errors:[…]}` form. */
export class OciError extends Error {
  readonly status: number;
  constructor(
    readonly code: OciErrorCode,
    message: string,
    readonly detail?: unknown,
    status?: number,
  ) {
    super(message);
    this.status = status ?? OCI_ERRORS[code];
  }

  body(): { errors: { code: string; message: string; detail?: unknown }[] } {
    return { errors: [{ code: this.code, message: this.message, ...(this.detail !== undefined ? { detail: this.detail } : {}) }] };
  }
}

/** Largest manifest Berth and its embedded registry accept or read (the distribution spec's suggested minimum). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** The one answer to a manifest over {@link MAX_MANIFEST_BYTES}: 413 MANIFEST_INVALID, from the front door and the embedded registry alike. */
export function manifestTooLarge(limit = MAX_MANIFEST_BYTES): OciError {
  return new OciError('MANIFEST_INVALID', `manifest is larger than ${limit} bytes`, { limit }, 413);
}
