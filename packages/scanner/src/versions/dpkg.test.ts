import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compareDpkg, isValidDpkg } from './dpkg.ts';

/** A small seeded generator, so a failing pair can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Edge-heavy Debian versions: epochs, tildes, plus signs, letters, leading zeros, revisions. */
function versions(count: number): string[] {
  const rnd = random(12);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const pieces = ['0', '1', '01', '2', '10', '9', 'a', 'b', 'z', 'A', 'Z', '~', '~~', '~rc1', '~beta', '+', '+dfsg', '.', '+b1', 'ubuntu', 'deb12u1', 'git2024'];
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let upstream = pick(['0', '1', '1.0', '2.36', '10', '1.2.3', '001', '3.0.2']);
    const extra = Math.floor(rnd() * 4);
    for (let k = 0; k < extra; k++) upstream += pick(pieces);
    const epoch = rnd() < 0.2 ? `${pick(['0', '1', '2', '10', '00'])}:` : '';
    const revision = rnd() < 0.5 ? `-${pick(['0', '1', '1ubuntu1', '1+deb12u1', '2~bpo1', '1.1', '10', 'a', '0~'])}` : '';
    out.push(`${epoch}${upstream}${revision}`);
  }
  return out;
}

/** Asks the real dpkg for the order of many pairs in one shell: -1, 0 or 1 per pair. */
function dpkgOrder(pairs: [string, string][]): number[] {
  const script = pairs
    .map(([a, b]) => `if dpkg --compare-versions '${a}' lt '${b}'; then echo -1; elif dpkg --compare-versions '${a}' eq '${b}'; then echo 0; else echo 1; fi`)
    .join('\n');
  return execFileSync('sh', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .trim()
    .split('\n')
    .map(Number);
}

describe('compareDpkg', () => {
  it.each([
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1:0.9', '2.0', 1],
    ['1.0-1', '1.0-1ubuntu1', -1],
    ['1.0', '1.0-0', 0],
    ['0:1.0', '1.0', 0],
    ['1.0+dfsg-1', '1.0-1', 1],
    ['2.36-9+deb12u4', '2.36-9+deb12u10', -1],
    ['1.01', '1.1', 0],
    ['1.0a', '1.0+', -1],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(Math.sign(compareDpkg(a, b))).toBe(want);
    expect(Math.sign(compareDpkg(b, a))).toBe(want === 0 ? 0 : -want);
  });

  it('orders several hundred edge-heavy pairs exactly as dpkg --compare-versions does', () => {
    const vs = versions(400);
    const pairs: [string, string][] = vs.map((v, i) => [v, vs[(i * 7 + 3) % vs.length]!]);
    // Near-equal pairs: the same version with one small change.
    for (const v of vs.slice(0, 80)) pairs.push([v, `${v}~`], [v, `${v}+`], [v, `${v}0`], [`${v}a`, `${v}-0`]);
    const want = dpkgOrder(pairs);
    const got = pairs.map(([a, b]) => Math.sign(compareDpkg(a, b)));
    const wrong = pairs.filter((_, i) => got[i] !== want[i]).map(([a, b]) => `${a} vs ${b}`);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(want).toHaveLength(pairs.length);
    expect(new Set(want)).toEqual(new Set([-1, 0, 1]));
  });

  it('does what the deb-version-compare package gets wrong', () => {
    // Why dpkg.ts exists: the library calls 1.0 and 1.0-1 equal, and 1.0-0 newer than 1.0.
    const library = createRequire(import.meta.url)('deb-version-compare') as (a: string, b: string) => number;
    const pairs: [string, string][] = [['1.0', '1.0-1'], ['1.0-0', '1.0'], ['1.0', '1.']];
    const want = dpkgOrder(pairs);
    expect(pairs.map(([a, b]) => Math.sign(compareDpkg(a, b)))).toEqual(want);
    expect(pairs.map(([a, b]) => Math.sign(library(a, b)))).not.toEqual(want);
  });
});

describe('isValidDpkg', () => {
  it.each(['1.0', '1:2.36-9+deb12u4', '0.9~rc1-1ubuntu0.1', '2.0+dfsg'])('accepts %s', (v) => expect(isValidDpkg(v)).toBe(true));
  it.each(['', 'abc', 'a:1.0', '1.0 beta', '1.0-r_1', '1.0-1:2', '1.0-', ':1.0', ' 1.0'])('rejects %s', (v) => expect(isValidDpkg(v)).toBe(false));
});
