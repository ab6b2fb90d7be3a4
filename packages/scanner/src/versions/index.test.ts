import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion, schemeOf } from './index.ts';

describe('schemeOf', () => {
  it.each([
    ['Debian', 'dpkg'],
    ['Debian:12', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Ubuntu:Pro:18.04:LTS', 'dpkg'],
    ['Alpine:v3.19', 'apk'],
    ['AlmaLinux:9', 'rpm'],
    ['Rocky Linux:9', 'rpm'],
    ['Red Hat:enterprise_linux:9::appstream', 'rpm'],
    ['openSUSE:Tumbleweed', 'rpm'],
    ['SUSE:Linux Enterprise Server 15 SP5', 'rpm'],
    ['Mageia:9', 'rpm'],
    ['npm', 'semver'],
    ['PyPI', 'pep440'],
    ['Go', 'go'],
    ['Maven', 'maven'],
  ])('%s → %s', (eco, scheme) => expect(schemeOf(eco)).toBe(scheme));

  it.each(['crates.io', 'RubyGems', 'NuGet', 'Packagist', 'GIT', '', 'debian', 'toString', 'constructor'])('%s → null', (eco) => expect(schemeOf(eco)).toBeNull());
});

describe('compareVersions', () => {
  it('uses each scheme’s own order where they disagree', () => {
    // `1.0~rc1` is older than `1.0` for dpkg and rpm; `1.0-1` vs `1.0`; `1.0-SNAPSHOT` only Maven reads.
    expect(compareVersions('dpkg', '1.0~rc1', '1.0')).toBe(-1);
    expect(compareVersions('rpm', '1.0~rc1', '1.0')).toBe(-1);
    expect(compareVersions('apk', '1.0_rc1', '1.0')).toBe(-1);
    expect(compareVersions('maven', '1.0-SNAPSHOT', '1.0')).toBe(-1);
    expect(compareVersions('semver', '1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareVersions('pep440', '1.0rc1', '1.0')).toBe(-1);
    expect(compareVersions('go', 'v1.0.0-rc.1', 'v1.0.0')).toBe(-1);
    expect(compareVersions('dpkg', '1.0-1', '1.0')).toBe(1);
    expect(compareVersions('maven', '1.0.0', '1')).toBe(0);
    expect(compareVersions('pep440', '1.0.0', '1')).toBe(0);
  });

  it('answers -1, 0 or 1 and never throws on garbage', () => {
    for (const scheme of ['dpkg', 'apk', 'rpm', 'semver', 'pep440', 'go', 'maven'] as const) {
      for (const [a, b] of [['', 'x'], ['💥', '1.0'], ['1.0', '::--~~^^__']]) {
        expect([-1, 0, 1]).toContain(compareVersions(scheme, a!, b!));
      }
      expect(compareVersions(scheme, '2.0', '10.0'), scheme).toBe(-1);
    }
  });
});

describe('isValidVersion', () => {
  it('follows the scheme', () => {
    expect(isValidVersion('dpkg', '1:2.36-9+deb12u4')).toBe(true);
    expect(isValidVersion('semver', '1:2.36-9+deb12u4')).toBe(false);
    expect(isValidVersion('apk', '1.2.3-r1')).toBe(true);
    expect(isValidVersion('pep440', '1.2.3~rc1')).toBe(false);
  });
});
