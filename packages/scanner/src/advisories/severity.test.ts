import { describe, expect, it } from 'vitest';
import type { OsvRecord } from '../types.ts';
import { severityOf, severityOfScore } from './severity.ts';

const record = (extra: Partial<OsvRecord>): OsvRecord => ({ id: 'TEST-1', modified: '2024-01-01T00:00:00Z', ...extra });

const V31_CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8
const V31_MEDIUM = 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N'; // 5.5
const V40_CRITICAL = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'; // 9.3 (FIRST calculator)
const V2_HIGH = 'AV:N/AC:L/Au:N/C:P/I:P/A:P'; // 7.5 (NVD)

describe('severityOfScore', () => {
  it.each([
    [0, 'none'],
    [0.1, 'low'],
    [3.9, 'low'],
    [4.0, 'medium'],
    [6.9, 'medium'],
    [7.0, 'high'],
    [8.9, 'high'],
    [9.0, 'critical'],
    [10, 'critical'],
  ])('%d → %s', (score, want) => expect(severityOfScore(score)).toBe(want));
});

describe('severityOf', () => {
  it.each([
    [V31_CRITICAL, 9.8, 'critical'],
    [V31_MEDIUM, 5.5, 'medium'],
    [V40_CRITICAL, 9.3, 'critical'],
    [V2_HIGH, 7.5, 'high'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
  ])('scores %s as %d', (vector, score, severity) => {
    const type = vector.startsWith('CVSS:4') ? 'CVSS_V4' : vector.startsWith('CVSS:3') ? 'CVSS_V3' : 'CVSS_V2';
    expect(severityOf(record({ severity: [{ type, score: vector }] }))).toEqual({ severity, score, vector });
  });

  it('prefers the newest CVSS version in a list', () => {
    const r = record({ severity: [{ type: 'CVSS_V2', score: V2_HIGH }, { type: 'CVSS_V3', score: V31_MEDIUM }, { type: 'CVSS_V4', score: V40_CRITICAL }] });
    expect(severityOf(r).vector).toBe(V40_CRITICAL);
    const v3 = record({ severity: [{ type: 'CVSS_V2', score: V2_HIGH }, { type: 'CVSS_V3', score: V31_MEDIUM }] });
    expect(severityOf(v3)).toEqual({ severity: 'medium', score: 5.5, vector: V31_MEDIUM });
  });

  it("prefers the affected entry's own vector over the record's", () => {
    const r = record({ severity: [{ type: 'CVSS_V3', score: V31_CRITICAL }] });
    expect(severityOf(r, { severity: [{ type: 'CVSS_V3', score: V31_MEDIUM }] }).score).toBe(5.5);
    expect(severityOf(r, {}).score).toBe(9.8);
  });

  it('passes over malformed vectors to the next source without throwing', () => {
    const bad = [
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L' },
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:X/garbage' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:Q/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
      { type: 'CVSS_V3', score: 'not a vector' },
    ];
    expect(severityOf(record({ severity: bad }), { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/' }] })).toEqual({ severity: 'unknown', score: null, vector: null });
    expect(severityOf(record({ severity: [...bad, { type: 'CVSS_V2', score: V2_HIGH }] })).vector).toBe(V2_HIGH);
    expect(severityOf(record({ severity: bad, database_specific: { severity: 'MODERATE' } })).severity).toBe('medium');
  });

  it.each([
    ['GHSA HIGH', record({ database_specific: { severity: 'HIGH' } }), undefined, 'high'],
    ['GHSA MODERATE', record({ database_specific: { severity: 'MODERATE' } }), undefined, 'medium'],
    ['Ubuntu priority', record({ severity: [{ type: 'Ubuntu', score: 'medium' }] }), undefined, 'medium'],
    ['Ubuntu negligible', record({ severity: [{ type: 'Ubuntu', score: 'negligible' }] }), undefined, 'negligible'],
    ['Debian urgency', record({}), { ecosystem_specific: { urgency: 'unimportant' } }, 'negligible'],
    ['Debian urgency with marks', record({}), { ecosystem_specific: { urgency: 'low**' } }, 'low'],
    ['Red Hat Important', record({}), { database_specific: { severity: 'Important' } }, 'high'],
    ['entry before record', record({ database_specific: { severity: 'LOW' } }), { database_specific: { severity: 'CRITICAL' } }, 'critical'],
    ['unknown words', record({ database_specific: { severity: 'not yet assigned' } }), undefined, 'unknown'],
    ['nothing at all', record({}), undefined, 'unknown'],
  ])('%s', (_what, r, affected, want) => {
    expect(severityOf(r, affected)).toEqual({ severity: want, score: null, vector: null });
  });

  it('scores a vector before any database level', () => {
    const r = record({ severity: [{ type: 'Ubuntu', score: 'low' }, { type: 'CVSS_V3', score: V31_CRITICAL }], database_specific: { severity: 'LOW' } });
    expect(severityOf(r)).toEqual({ severity: 'critical', score: 9.8, vector: V31_CRITICAL });
  });
});
