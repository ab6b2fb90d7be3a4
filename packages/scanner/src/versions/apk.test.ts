import { describe, expect, it } from 'vitest';
import { compareApk, isValidApk } from './apk.ts';

const sign = (n: number): number => Math.sign(n) || 0;

describe('compareApk', () => {
  // Each list is in ascending order, per apk-tools' rules (apk version -t gives the same).
  it.each([
    [['1.2.3_rc1', '1.2.3', '1.2.3-r1', '1.2.3_p1']],
    [['1.0_alpha', '1.0_alpha2', '1.0_beta', '1.0_pre1', '1.0_rc1', '1.0', '1.0_cvs', '1.0_svn', '1.0_git', '1.0_hg', '1.0_p1', '1.0_p2']],
    [['1.0', '1.0-r1', '1.0-r2', '1.0-r10', '1.0a', '1.0b', '1.0.1']],
    [['1.0', '1.0~1a2b', '1.0~1a2b-r1', '1.0~ff00']],
    [['1.0', '1.0bc']],
    [['0.9', '1', '1.0', '1.01', '1.1', '1.2', '1.10']],
    [['2.6.0', '2.6.0_git20240101', '2.6.0_git20240301-r1', '2.6.1_rc1', '2.6.1']],
    [['3.0.15-r0', '3.0.15-r1', '3.1.0-r0', '3.1.4-r5']],
    [['1.36.1-r5', '1.36.1-r15', '1.37.0-r0']],
  ])('orders %j', (list) => {
    for (let i = 0; i + 1 < list.length; i++) {
      expect(sign(compareApk(list[i]!, list[i + 1]!)), `${list[i]} < ${list[i + 1]}`).toBe(-1);
      expect(sign(compareApk(list[i + 1]!, list[i]!)), `${list[i + 1]} > ${list[i]}`).toBe(1);
    }
  });

  it.each([
    ['1.2.3', '1.2.3'],
    ['1.2.3-r0', '1.2.3-r0'],
    ['1.0_rc1', '1.0_rc01'],
  ])('%s equals %s', (a, b) => {
    expect(sign(compareApk(a, b))).toBe(0);
  });

  it('compares what it can read of a malformed version instead of throwing', () => {
    expect(sign(compareApk('1.2.3-foo', '1.2.4'))).toBe(-1);
    expect(sign(compareApk('2.0_unknown', '1.9'))).toBe(1);
  });
});

describe('isValidApk', () => {
  it.each(['1.2.3', '1.2.3-r1', '1.0_rc1', '2.6.0_git20240101-r3', '1.0a', '1.0_p1_p2', '1.0~deadbeef-r2'])('accepts %s', (v) => expect(isValidApk(v)).toBe(true));
  it.each(['1.2.3-foo', '1.0_unknown', 'v1.0', '1.0-r1.2', '1.0A', '1.0a.1', '1..0', '1.0a1', '1.0_', '1.0-r', '1.0~'])('rejects %s', (v) => expect(isValidApk(v)).toBe(false));
});
