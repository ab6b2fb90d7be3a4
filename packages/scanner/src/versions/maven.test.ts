import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareMaven } from './maven.ts';

const sign = (n: number): number => Math.sign(n) || 0;

/** Maven's own ComparableVersion, from the local repository (maven-artifact 3.9.x). */
const MAVEN_ARTIFACT = path.join(homedir(), '.m2/repository/org/apache/maven/maven-artifact/3.9.6/maven-artifact-3.9.6.jar');

/** Maven's answers for each adjacent pair of `versions` (its main() compares neighbours), from one JVM. */
function mavenOrder(versions: string[]): number[] {
  const out = execFileSync('java', ['-cp', MAVEN_ARTIFACT, 'org.apache.maven.artifact.versioning.ComparableVersion', ...versions], { encoding: 'utf8' });
  return [...out.matchAll(/^ {3}\S* (<|==|>) /gm)].map((m) => ({ '<': -1, '==': 0, '>': 1 })[m[1] as '<']);
}

describe('compareMaven', () => {
  it.each([
    ['1.0-alpha-1', '1.0', -1],
    ['1.0-SNAPSHOT', '1.0', -1],
    ['1.0.0', '1', 0],
    ['1.0', '1', 0],
    ['1.0-alpha-1', '1.0-alpha-2', -1],
    ['1.0-alpha', '1.0-beta', -1],
    ['1.0-beta', '1.0-milestone', -1],
    ['1.0-rc1', '1.0-cr1', 0],
    ['1.0-rc', '1.0-snapshot', -1],
    ['1.0-ga', '1.0', 0],
    ['1.0.Final', '1.0', 0],
    ['5.3.20.RELEASE', '5.3.20', 0],
    ['1.0-sp', '1.0', 1],
    ['1.0-sp', '1.0-foo', -1],
    ['1.0-foo', '1.0-goo', -1],
    ['1.0a1', '1.0-alpha-1', 0],
    ['1-foo2', '1-foo10', -1],
    ['1.1', '1-1', 1],
    ['2.12.7.1', '2.12.7', 1],
    ['2.13.4.2', '2.13.5', -1],
    ['1.0-jre', '1.0', 1],
    ['31.1-jre', '32.0.0-android', -1],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(sign(compareMaven(a, b))).toBe(want);
    expect(sign(compareMaven(b, a))).toBe(want === 0 ? 0 : -want);
  });

  it('orders edge cases as Maven ComparableVersion does', () => {
    expect(existsSync(MAVEN_ARTIFACT), `needs ${MAVEN_ARTIFACT} and java`).toBe(true);
    const pieces = ['1', '1.0', '1.0.0', '1-0', '1.0-1', '1-1', '1.1', '1-sp', '1-sp-1', '1-ga-1', '1.ga', '1-final', '1.foo', '1-foo', '1.foo.2', '1-foo-2', '1.0.0.x1', '1.0.0-x2',
      '1-a1', '1-alpha-1', '1-b2', '1-m3', '1-milestone-3', '1-rc-1', '1-cr-1', '1-snapshot', '1-SNAPSHOT', '1.0a', '1.0.a', '1a', '1--1', '1..1', '1-.1', '01.02', '1.2',
      '1.0-alpha', '1.0-beta-2', '2.0.0.RELEASE', '2', '1.2.3-20210101.123456-1', '1.2.3-RC1', '10.0', '9.9.9', '1.0-xyz', '1.0-abc', '1.0-1-1', '1.0-1.1', '1.0-1-sp', '123456789012345678901', '1.0-0.0.0'];
    const seq: string[] = [];
    for (let i = 0; i < pieces.length; i++) for (let j = 0; j < pieces.length; j += 7) seq.push(pieces[i]!, pieces[(i + j + 1) % pieces.length]!);
    const want = mavenOrder(seq);
    expect(want).toHaveLength(seq.length - 1);
    expect(new Set(want)).toEqual(new Set([-1, 0, 1]));
    const wrong = want.map((w, i) => [seq[i]!, seq[i + 1]!, w] as const).filter(([a, b, w]) => sign(compareMaven(a, b)) !== w);
    expect(wrong).toEqual([]);
  });
});
