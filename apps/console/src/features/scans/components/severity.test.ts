import { describe, expect, it } from 'vitest';
import { severity } from '@berth/api';
import { countedLevels, SEVERITIES_DESC, toggleLevel, totalCount } from './severity';
import { databaseWarning, hasResults, scanInProgress } from './scan-status';

const summary = { critical: 1, high: 0, medium: 4, low: 0, negligible: 0, unknown: 2 };

describe('severity levels', () => {
  it('lists every level of the contract, most severe first', () => {
    expect([...SEVERITIES_DESC].reverse()).toEqual(severity.options);
  });

  it('shows only the levels that have vulnerabilities, most severe first, and their total', () => {
    expect(countedLevels(summary)).toEqual([
      { level: 'critical', count: 1 },
      { level: 'medium', count: 4 },
      { level: 'unknown', count: 2 },
    ]);
    expect(totalCount(summary)).toBe(7);
    expect(countedLevels({ ...summary, critical: 0, medium: 0, unknown: 0 })).toEqual([]);
  });

  it('keeps a severity filter most severe first however its levels were picked', () => {
    expect(toggleLevel(['low'], 'critical', true)).toEqual(['critical', 'low']);
    expect(toggleLevel(['critical', 'low'], 'critical', false)).toEqual(['low']);
    expect(toggleLevel(['high'], 'high', true)).toEqual(['high']);
  });
});

describe('scan status', () => {
  it('polls only while a scan waits or runs', () => {
    expect(['none', 'queued', 'scanning', 'done', 'failed', 'unsupported'].filter((s) => scanInProgress(s as never))).toEqual(['queued', 'scanning']);
  });

  it('has results once done, and keeps the last ones while a rescan waits or runs', () => {
    expect(hasResults({ status: 'done', scannedAt: '2026-12-01T00:00:00Z' })).toBe(true);
    expect(hasResults({ status: 'queued', scannedAt: '2026-12-01T00:00:00Z' })).toBe(true);
    expect(hasResults({ status: 'queued', scannedAt: null })).toBe(false);
    expect(hasResults({ status: 'failed', scannedAt: '2026-12-01T00:00:00Z' })).toBe(false);
    expect(hasResults(undefined)).toBe(false);
  });

  it('warns about a database that is missing or stale', () => {
    expect(databaseWarning({ loaded: false, stale: true })).toBe('missing');
    expect(databaseWarning({ loaded: true, stale: true })).toBe('stale');
    expect(databaseWarning({ loaded: true, stale: false })).toBeNull();
  });
});
