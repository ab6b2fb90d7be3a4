import { describe, expect, it } from 'vitest';
import { compareGo, isValidGo } from './go.ts';

const sign = (n: number): number => Math.sign(n) || 0;

describe('compareGo', () => {
  it('orders releases, prereleases and pseudo-versions', () => {
    const list = [
      'v0.0.0-20190101000000-aaaaaaaaaaaa',
      'v0.0.0-20210101000000-abcdef123456',
      'v0.1.0',
      'v1.2.3-pre',
      'v1.2.3',
      'v1.2.4-0.20220101000000-abcdef123456',
      'v1.2.4-0.20230101000000-000000000000',
      'v1.2.4',
      'v1.10.0',
      'v2.0.0+incompatible',
      'v2.1.0',
    ];
    for (let i = 0; i + 1 < list.length; i++) expect(sign(compareGo(list[i]!, list[i + 1]!)), `${list[i]} < ${list[i + 1]}`).toBe(-1);
  });

  it.each([
    ['v2.0.0+incompatible', 'v2.0.0', 0],
    ['1.2.3', 'v1.2.3', 0],
    ['v1', 'v1.0.0', 0],
    ['v1.2', 'v1.2.0', 0],
    ['0.0.0-20210101000000-abcdef123456', 'v0.0.0-20210101000000-abcdef123456', 0],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(sign(compareGo(a, b))).toBe(want);
  });

  it('sorts an invalid version before every valid one, as Go does', () => {
    expect(sign(compareGo('master', 'v0.0.1'))).toBe(-1);
    expect(sign(compareGo('v1.0.0', 'v1.0.01'))).toBe(1);
  });
});

describe('isValidGo', () => {
  it.each(['v1.2.3', '1.2.3', 'v0.0.0-20210101000000-abcdef123456', 'v2.0.0+incompatible', 'v1'])('accepts %s', (v) => expect(isValidGo(v)).toBe(true));
  it.each(['', 'master', 'v1.0.01', 'v1.2-pre', 'latest'])('rejects %s', (v) => expect(isValidGo(v)).toBe(false));
});
