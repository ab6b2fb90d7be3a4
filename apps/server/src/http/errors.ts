import type { ErrorRequestHandler } from 'express';
import { ApiError } from '../errors.ts';
import { ZodError } from 'zod';
import { ConflictError, CursorError, storeDiskFault } from '@berth/store';
import { DeleteRefused } from '../services/deletes.ts';


/** Translates domain errors into API errors; anything unknown becomes INTERNAL. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) {
    return new ApiError(
      'VALIDATION_FAILED',
      'the request is not valid',
      err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  if (err instanceof ConflictError) return new ApiError('ALREADY_EXISTS', err.message);
  if (err instanceof CursorError) return new ApiError('INVALID_CURSOR', err.message);
  if (err instanceof DeleteRefused) {
    return new ApiError(err.kind === 'locked' ? 'LOCKED' : err.kind === 'referenced' ? 'REFERENCED' : 'BUSY', err.message, err.details);
  }
  const fault = storeDiskFault(err);
  if (fault === 'full') return new ApiError('STORAGE_FULL', 'Berth\u2019s database cannot write: its disk is full. Nothing was changed; free space and try again');
  if (fault === 'read-only') return new ApiError('STORAGE_READ_ONLY', 'Berth\u2019s database cannot write: its disk is read-only. Nothing was changed');
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.parse.failed') return new ApiError('BAD_REQUEST', 'the request body is not valid JSON');
  if (e.type === 'entity.too.large') return new ApiError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'the request body encoding is not supported');
  }
  return new ApiError('INTERNAL', 'internal error');
}

/** The one place /api/v1 errors are written. 5xx details are logged, never sent. */
export const apiErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const apiError = toApiError(err);
  if (apiError.status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) return;
  res.status(apiError.status).json({
    error: {
      code: apiError.code,
      message: apiError.message,
      ...(apiError.details !== undefined ? { details: apiError.details } : {}),
    },
  });
};
