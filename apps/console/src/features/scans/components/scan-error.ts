import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api-client';

/** Why a vulnerability check could not be asked for, in words (the server's when it has no database). */
export function scanRequestError(t: TFunction, error: unknown): string {
  if (isApiError(error) && error.code === 'VULN_DB_UNAVAILABLE') return t('scans.dbUnavailable', { message: error.message });
  if (isApiError(error) && error.status === 403) return t('errors.forbidden');
  return isApiError(error) || error instanceof Error ? error.message : t('errors.unknown');
}
