import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareRpm, isValidRpm, rpmvercmp } from './rpm.ts';

const sign = (n: number): number => Math.sign(n) || 0;

/** The real rpm's answers (rpm.vercmp in its Lua interpreter compares full EVRs), one rpm run for all pairs. */
function rpmOrder(pairs: [string, string][]): number[] {
  // rpm's Lua print() output has no line breaks, so each answer ends with a `;`.
  const lua = pairs.map(([a, b]) => `print(rpm.vercmp(${JSON.stringify(a)}, ${JSON.stringify(b)}) .. ";")`).join(' ');
  return execFileSync('rpm', ['--eval', `%{lua: ${lua}}`], { encoding: 'utf8' })
    .trim()
    .split(';')
    .filter((x) => x !== '')
    .map(Number);
}

describe('compareRpm', () => {
  it.each([
    ['1.0~rc1', '1.0', -1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['1.0~rc1', '1.0~rc1^post', -1],
    ['1.0a', '1.0.a', 0],
    ['1.0a', '1.0.1', -1],
    ['1:1.0-1', '2.0-1', 1],
    ['2.0-1.el9', '2.0-1.el9_2', -1],
    ['1.0-10.el9', '1.0-9.el9', 1],
    ['0:3.0.7-27.el9', '3.0.7-27.el9', 0],
    ['1.010', '1.10', 0],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(sign(compareRpm(a, b))).toBe(want);
    expect(sign(compareRpm(b, a))).toBe(want === 0 ? 0 : -want);
  });

  it('orders edge cases as the real rpm does', () => {
    const parts = ['1.0', '1.0~rc1', '1.0~~', '1.0^', '1.0^git1', '1.0^~', '1.0a', '1.0.a', '1.0_1', '1.0.1', '1.00', 'a', 'A', '1.0+b', '1:1.0', '1.0-1', '1.0-1.el9', '1.0-1.el9_2', '1.0-2', '2~', '2', '1.0-1~', '10', '9.9', '1..0', '1.0.'];
    const pairs: [string, string][] = parts.flatMap((a) => parts.map((b): [string, string] => [a, b]));
    const want = rpmOrder(pairs);
    expect(want).toHaveLength(pairs.length);
    expect(new Set(want)).toEqual(new Set([-1, 0, 1]));
    const wrong = pairs.filter(([a, b], i) => sign(compareRpm(a, b)) !== want[i]).map(([a, b]) => `${a} vs ${b}`);
    expect(wrong).toEqual([]);
  });

  it('gives rpmvercmp on a bare version string', () => {
    expect(rpmvercmp('el9', 'el9_2')).toBe(-1);
    expect(rpmvercmp('1.0~a', '1.0~b')).toBe(-1);
  });
});

describe('isValidRpm', () => {
  it.each(['1.0', '1:2.3-4.el9', '3.0.7-27.el9_2', '1.0~rc1^git2'])('accepts %s', (v) => expect(isValidRpm(v)).toBe(true));
  it.each(['', '1.0 1', 'a:1.0', ':1.0', '-1'])('rejects %s', (v) => expect(isValidRpm(v)).toBe(false));
});
