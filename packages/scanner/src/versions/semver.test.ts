import { describe, expect, it } from 'vitest';
import { compareSemver, isValidSemver } from './semver.ts';

const sign = (n: number): number => Math.sign(n) || 0;

describe('compareSemver', () => {
  it('orders prereleases by SemVer precedence', () => {
    const list = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0'];
    for (let i = 0; i + 1 < list.length; i++) expect(sign(compareSemver(list[i]!, list[i + 1]!)), `${list[i]} < ${list[i + 1]}`).toBe(-1);
  });

  it.each([
    ['1.0.0+build.1', '1.0.0+build.2', 0],
    ['v1.2.3', '1.2.3', 0],
    ['=1.2.3', '1.2.3', 0],
    ['1.2.3', '1.2.10', -1],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(sign(compareSemver(a, b))).toBe(want);
  });

  it('sorts an unreadable version before readable ones instead of throwing', () => {
    expect(sign(compareSemver('latest', '0.0.1'))).toBe(-1);
    expect(sign(compareSemver('0.0.1', 'next'))).toBe(1);
    expect(sign(compareSemver('2.0', '10.0'))).toBe(-1);
  });
});

describe('isValidSemver', () => {
  it.each(['1.2.3', '1.2.3-beta.1', '1.2.3+sha.abc', 'v1.2.3'])('accepts %s', (v) => expect(isValidSemver(v)).toBe(true));
  it.each(['', 'latest', '1.2', '1.2.3.4'])('rejects %s', (v) => expect(isValidSemver(v)).toBe(false));
});
