import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { ApiError } from '@/lib/api-client';
import { i18next } from '@/lib/i18n';
import { scanRequestError } from './scan-error';

const t = i18next.getFixedT('en') as TFunction;

describe('scanRequestError', () => {
  it('says no check can run, in the server’s words, when there is no advisory database', () => {
    const error = new ApiError(503, 'VULN_DB_UNAVAILABLE', 'no advisory database is loaded from /data/vuln-db');
    expect(scanRequestError(t, error)).toBe('No vulnerability check can run: no advisory database is loaded from /data/vuln-db');
  });

  it('says a viewer needs the admin role, and passes other messages on', () => {
    expect(scanRequestError(t, new ApiError(403, 'FORBIDDEN', 'admin only'))).toBe(t('errors.forbidden'));
    expect(scanRequestError(t, new ApiError(404, 'ARTIFACT_NOT_FOUND', 'no such artifact'))).toBe('no such artifact');
  });
});
