import { describe, expect, it } from 'vitest';
import { applyExclusions, countFindings, type CountableVulnerability, type Exclusions } from './exclusions.ts';

const none: Exclusions = { languagePackages: false, secrets: false, withoutFix: false, atOrBelow: null };
const v = (severity: CountableVulnerability['severity'], fixedVersion: string | null, packageType = 'dpkg') => ({ severity, fixedVersion, packageType });
const found = [
  v('critical', '1.2'),
  v('critical', null),
  v('high', '2.0', 'npm'),
  v('high', null, 'pypi'),
  v('medium', '3'),
  v('low', null),
  v('negligible', null),
  v('unknown', '1'),
  v('none', null),
];

describe('scan exclusions and counts', () => {
  it('counts every level, and the Critical and High ones a version fixes', () => {
    expect(countFindings(found, 2)).toEqual({
      counts: { critical: 2, high: 2, medium: 1, low: 1, negligible: 1, unknown: 1 },
      fixable: { critical: 1, high: 1 },
      secrets: 2,
    });
  });

  it('keeps everything with no exclusion', () => {
    expect(applyExclusions(found, ['s'], none)).toEqual({ vulnerabilities: found, secrets: ['s'] });
  });

  it.each([
    ['language packages', { languagePackages: true }, { critical: 2, high: 0, medium: 1, low: 1, negligible: 1, unknown: 1 }],
    ['vulnerabilities without a fix', { withoutFix: true }, { critical: 1, high: 1, medium: 1, low: 0, negligible: 0, unknown: 1 }],
    ['at or below None', { atOrBelow: 'none' }, { critical: 2, high: 2, medium: 1, low: 1, negligible: 1, unknown: 1 }],
    ['at or below Unknown', { atOrBelow: 'unknown' }, { critical: 2, high: 2, medium: 1, low: 1, negligible: 1, unknown: 0 }],
    ['at or below Negligible', { atOrBelow: 'negligible' }, { critical: 2, high: 2, medium: 1, low: 1, negligible: 0, unknown: 0 }],
    ['at or below Low', { atOrBelow: 'low' }, { critical: 2, high: 2, medium: 1, low: 0, negligible: 0, unknown: 0 }],
    ['at or below Medium', { atOrBelow: 'medium' }, { critical: 2, high: 2, medium: 0, low: 0, negligible: 0, unknown: 0 }],
    ['at or below High', { atOrBelow: 'high' }, { critical: 2, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 }],
    ['at or below Critical', { atOrBelow: 'critical' }, { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 }],
    ['language packages and no fix, at or below Medium', { languagePackages: true, withoutFix: true, atOrBelow: 'medium' }, { critical: 1, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 }],
  ] as const)('leaves out %s', (_what, ex, counts) => {
    const kept = applyExclusions(found, [], { ...none, ...ex });
    expect(countFindings(kept.vulnerabilities, 0).counts).toEqual(counts);
  });

  it('leaves out secrets when told to', () => {
    expect(applyExclusions(found, ['a', 'b'], { ...none, secrets: true }).secrets).toEqual([]);
  });
});
