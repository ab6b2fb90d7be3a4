import { z } from 'zod';

/**
 * The stable error codes of /api/v1. Each code has one HTTP status; the server's
 * error middleware is the only place that turns them into responses.
 */
export const API_ERRORS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_CURSOR: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REPOSITORY_NOT_FOUND: 404,
  REPOSITORY_USER_NOT_FOUND: 404,
  IMAGE_NOT_FOUND: 404,
  MANIFEST_NOT_FOUND: 404,
  TAG_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  CONFIG_NOT_FOUND: 404,
  /** The artifact has no finished scan (never scanned, or its scan is waiting, running or failed). */
  SCAN_NOT_FOUND: 404,
  REGISTRY_NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  REPOSITORY_NOT_EMPTY: 409,
  REGISTRY_UNSUPPORTED: 409,
  /** The registry is pull-only: Berth never pushes to it or deletes from it. */
  REGISTRY_PULL_ONLY: 409,
  /** The registry (or its account) does not list its repositories: open an image by name. */
  CATALOG_UNAVAILABLE: 409,
  /** The connection test failed; nothing was saved. `details` holds the test. */
  CONNECTION_FAILED: 422,
  /** The image or tag is locked: unlock it first. */
  LOCKED: 409,
  /** A kept artifact references this one (an index lists it, a signature or SBOM refers to it): delete that first. */
  REFERENCED: 409,
  /** A delete of it is already under way. */
  BUSY: 409,
  POLICY_DISABLED: 409,
  /** What the policy would delete changed since the test the run was asked to match: test again. */
  POLICY_CHANGED: 409,
  /** The request (its body) arrived too slowly; the connection was closed. */
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  UPSTREAM_UNAVAILABLE: 502,
  /** The registry refused a delete: the content is still there, marked Inactive; only delete may be retried. */
  UPSTREAM_REFUSED: 502,
  /** No advisory database is loaded: set BERTH_VULN_DB, or run `berth vuln-db update`. */
  VULN_DB_UNAVAILABLE: 503,
  /** Berth's database cannot write: its disk is full. Nothing was changed; reads still work. */
  STORAGE_FULL: 507,
  /** Berth's database cannot write: its disk is read-only. Nothing was changed; reads still work. */
  STORAGE_READ_ONLY: 507,
  INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export const apiErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBody>;
