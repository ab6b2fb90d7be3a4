import { describe, expect, it } from 'vitest';
import type { InventoryPackage } from '../types.ts';
import { ecosystemApplies, ecosystemBase, lookupKeys, normalizePackageName } from './ecosystems.ts';

describe('OSV ecosystems and package names', () => {
  it.each([
    ['Debian:12', 'Debian:12', true],
    ['Debian', 'Debian:12', true],
    ['Debian:11', 'Debian:12', false],
    ['Alpine', 'Alpine:v3.19', false],
    ['Alpine:v3.19', 'Alpine:v3.19', true],
    ['Ubuntu:22.04:LTS', 'Ubuntu:22.04:LTS', true],
    ['Ubuntu:Pro:22.04:LTS', 'Ubuntu:22.04:LTS', false],
    ['Ubuntu', 'Ubuntu:22.04:LTS', false],
    ['Rocky Linux', 'Rocky Linux:9', true],
    ['AlmaLinux:8', 'AlmaLinux:9', false],
    ['Maven:https://maven.google.com', 'Maven', true],
    ['npm', 'npm', true],
    ['npm', 'PyPI', false],
  ])('an entry of %s applies to an image package in %s: %s', (advisory, image, applies) => {
    expect(ecosystemApplies(advisory, image)).toBe(applies);
  });

  it('takes the base before the first colon', () => {
    expect(['Ubuntu:Pro:18.04:LTS', 'Rocky Linux:9', 'Go'].map(ecosystemBase)).toEqual(['Ubuntu', 'Rocky Linux', 'Go']);
  });

  it('compares PyPI names PEP 503-normalized and every other name exactly', () => {
    expect(normalizePackageName('PyPI', 'Zope.Interface')).toBe(normalizePackageName('PyPI', 'zope-interface'));
    expect(normalizePackageName('PyPI', 'ruamel__yaml.clib')).toBe('ruamel-yaml-clib');
    expect(normalizePackageName('npm', 'JSONStream')).toBe('JSONStream');
    expect(normalizePackageName('Maven', 'org.Foo:Bar_baz')).toBe('org.Foo:Bar_baz');
  });

  it('looks dpkg packages up by source, rpm ones by binary then source, and OS packages nowhere without an ecosystem', () => {
    const base = { path: 'p', layer: 'l', purl: '', licenses: [] };
    const deb: InventoryPackage = { ...base, type: 'dpkg', name: 'libssl3', version: '3.0.11-1~deb12u2', source: { name: 'openssl', version: '3.0.11-1~deb12u1' } };
    const rpm: InventoryPackage = { ...base, type: 'rpm', name: 'openssl-libs', version: '1:3.0.7-24.el9', source: { name: 'openssl', version: '1:3.0.7-24.el9' } };
    expect(lookupKeys(deb, 'Debian:12')).toEqual([{ ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u1' }]);
    expect(lookupKeys(rpm, 'AlmaLinux:9').map((k) => k.name)).toEqual(['openssl-libs', 'openssl']);
    expect(lookupKeys(deb, null)).toEqual([]);
    expect(lookupKeys({ ...base, type: 'pypi', name: 'PyYAML', version: '6.0' }, null)).toEqual([{ ecosystem: 'PyPI', name: 'PyYAML', version: '6.0' }]);
  });
});
