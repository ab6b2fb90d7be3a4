import { describe, expect, it } from 'vitest';
import { compileGlob, compileTagPatterns, globMatch } from './glob.ts';

describe('tag globs', () => {
  it.each([
    // pattern, tag, matches
    ['v1', 'v1', true],
    ['v1', 'v10', false],
    ['v1', 'V1', false],
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything-at.all_1', true],
    ['**', 'x', true],
    ['release-*', 'release-', true],
    ['release-*', 'release-1.2', true],
    ['release-*', 'prerelease-1.2', false],
    ['*-rc', '1.0-rc', true],
    ['*-rc', '1.0-rc1', false],
    ['v*-amd64', 'v1.2-amd64', true],
    ['v*-amd64', 'v-amd64', true],
    ['v*-amd64', 'v1.2-arm64', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['v?', 'v1', true],
    ['v?', 'v', false],
    ['v?', 'v12', false],
    ['v?.?', 'v1.2', true],
    ['???', 'abc', true],
    ['???', 'ab', false],
    ['*.*.*', '1.2.3', true],
    ['*.*.*', '1.2', false],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
    ['*a*b*c*', 'xxcxxbxxaxx', false],
    ['a*b?c', 'aXbYc', true],
    ['a*b?c', 'abbbYc', true],
    ['a*b?c', 'abc', false],
    ['*?', '', false],
    ['*?', 'x', true],
    ['main-*-??', 'main-4f2a-01', true],
    ['main-*-??', 'main-4f2a-001', false],
    ['main-*-??', 'main-4f2a-b-01', true],
  ])('%s against %s: %s', (pattern, tag, expected) => {
    expect(globMatch(pattern, tag)).toBe(expected);
    expect(compileGlob(pattern)(tag)).toBe(expected);
  });

  it('stays linear-ish on patterns that make backtracking regexps explode', () => {
    const tag = 'a'.repeat(10_000);
    expect(globMatch('*a*a*a*a*a*a*a*a*b', tag)).toBe(false);
    expect(compileGlob('*a*a*a*a*a*a*a*a*b')(tag)).toBe(false);
    expect(globMatch('*a*a*a*a*a*a*a*a*a', tag)).toBe(true);
  });

  it('gives the first pattern in list order that matches, or null', () => {
    const match = compileTagPatterns(['release-*', 'v*', 'v1', 'release-*']);
    expect(match('v1')).toBe('v*');
    expect(match('release-2')).toBe('release-*');
    expect(match('latest')).toBeNull();
    expect(compileTagPatterns([])('latest')).toBeNull();
  });
});
