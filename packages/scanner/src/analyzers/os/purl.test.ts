import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import type { InventoryPackage } from '../../types.ts';
import { makePurl, osPurl } from './purl.ts';

const pkg = (type: InventoryPackage['type'], purl: string): InventoryPackage => ({
  type,
  name: 'x',
  version: '1',
  path: 'p',
  layer: 'l',
  purl,
  licenses: [],
});

describe('osPurl', () => {
  it('puts the os id in the namespace and adds the distro qualifier', () => {
    const ubuntu = { id: 'ubuntu', versionId: '22.04', prettyName: null, ecosystem: 'Ubuntu:22.04:LTS' };
    const out = PackageURL.fromString(osPurl(pkg('dpkg', makePurl('deb', 'debian', 'libc6', '2.35-0ubuntu3.6', { arch: 'amd64' })), ubuntu));
    expect([out.namespace, out.name, out.version, out.qualifiers]).toEqual(['ubuntu', 'libc6', '2.35-0ubuntu3.6', { arch: 'amd64', distro: 'ubuntu-22.04' }]);
    const alma = { id: 'almalinux', versionId: '9.3', prettyName: null, ecosystem: 'AlmaLinux:9' };
    const rpm = PackageURL.fromString(osPurl(pkg('rpm', makePurl('rpm', null, 'bash', '5.1.8-6.el9', { arch: 'x86_64', epoch: '1' })), alma));
    expect([rpm.namespace, rpm.qualifiers]).toEqual(['almalinux', { arch: 'x86_64', epoch: '1', distro: 'almalinux-9.3' }]);
  });

  it('leaves language packages and unknown OSes alone', () => {
    const npm = pkg('npm', 'pkg:npm/left-pad@1.3.0');
    expect(osPurl(npm, { id: 'debian', versionId: '12', prettyName: null, ecosystem: 'Debian:12' })).toBe('pkg:npm/left-pad@1.3.0');
    const deb = pkg('dpkg', 'pkg:deb/debian/a@1');
    expect(osPurl(deb, null)).toBe('pkg:deb/debian/a@1');
  });
});
