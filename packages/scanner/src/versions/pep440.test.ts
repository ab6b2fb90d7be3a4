import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { comparePep440, isValidPep440 } from './pep440.ts';

const sign = (n: number): number => Math.sign(n) || 0;

/** The answers of Python's `packaging` (pip's own version logic) for each pair, in one Python run. */
function packagingOrder(pairs: [string, string][]): number[] {
  const script = [
    'import json, sys',
    'from packaging.version import Version',
    'pairs = json.load(sys.stdin)',
    'print(json.dumps([(Version(a) > Version(b)) - (Version(a) < Version(b)) for a, b in pairs]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' })) as number[];
}

describe('comparePep440', () => {
  it('orders pre, dev and post releases and epochs', () => {
    const list = ['1.0.dev1', '1.0a1', '1.0a2.dev1', '1.0a2', '1.0b1', '1.0rc1', '1.0', '1.0.post1', '1.0.1', '1.1', '2!0.1'];
    for (let i = 0; i + 1 < list.length; i++) expect(sign(comparePep440(list[i]!, list[i + 1]!)), `${list[i]} < ${list[i + 1]}`).toBe(-1);
  });

  it.each([
    ['1.0', '1.0.0', 0],
    ['1.0', '1', 0],
    ['1.0.0a1', '1.0.0alpha1', 0],
    ['1.0.0c1', '1.0.0rc1', 0],
    ['1!0.1', '2.0', 1],
    ['1.0+local.1', '1.0', 1],
    ['v1.0', '1.0', 0],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(sign(comparePep440(a, b))).toBe(want);
  });

  it('orders the same as Python packaging', () => {
    const vs = ['0.9', '1.0', '1.0.0', '1.0.dev0', '1.0a1', '1.0a1.dev2', '1.0b2.post3', '1.0rc1', '1.0c2', '1.0.post1', '1.0.post1.dev1', '1.0+abc', '1.0+abc.5', '1.0+5', '1!1.0', '1.01', '1.1', '2.0.0.0.1', '1.0-1', '1.0_post2'];
    const pairs: [string, string][] = vs.flatMap((a) => vs.map((b): [string, string] => [a, b]));
    const want = packagingOrder(pairs);
    const wrong = pairs.filter(([a, b], i) => sign(comparePep440(a, b)) !== want[i]).map(([a, b]) => `${a} vs ${b}`);
    expect(wrong).toEqual([]);
  });

  it('sorts a non-PEP 440 version before every valid one instead of throwing', () => {
    expect(sign(comparePep440('not-a-version', '0.0.1'))).toBe(-1);
    expect(sign(comparePep440('2.0', 'foo bar'))).toBe(1);
  });
});

describe('isValidPep440', () => {
  it.each(['1.0', '1!2.0.post1.dev3', '1.0rc1', '1.0+ubuntu.1'])('accepts %s', (v) => expect(isValidPep440(v)).toBe(true));
  it.each(['', 'abc', '1.0-beta-x', '1..0'])('rejects %s', (v) => expect(isValidPep440(v)).toBe(false));
});
