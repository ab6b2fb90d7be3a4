import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import { dpkgAnalyzer, readDpkgStatus } from './dpkg.ts';

const file = (p: string) => ({ path: p, size: 0, mode: 0o644, layer: 'sha256:bb' });
const STATUS = 'var/lib/dpkg/status';

describe('dpkg analyzer on this machine’s real database', () => {
  const found = readDpkgStatus(file(STATUS), fs.readFileSync('/var/lib/dpkg/status'));
  const query = (format: string) => execFileSync('dpkg-query', ['-W', '-f', format]).toString('utf8');

  it('finds every installed package dpkg-query lists', () => {
    const installed = query('${db:Status-Status}\\n')
      .split('\n')
      .filter((s) => s === 'installed').length;
    expect(installed).toBeGreaterThan(50);
    expect(found.packages).toHaveLength(installed);
    expect(found.notes).toBeUndefined();
  });

  it('reads name, architecture, version (with epoch) and source as dpkg-query does', () => {
    const expected = query('${db:Status-Status} ${Package} ${Architecture} ${Version} ${source:Package} ${source:Version}\\n')
      .split('\n')
      .filter((l) => l.startsWith('installed '))
      .map((l) => l.split(' ').slice(1).join(' '))
      .sort();
    const actual = found.packages!.map((p) => `${p.name} ${p.purl.match(/arch=([^&]+)/)?.[1]} ${p.version} ${p.source!.name} ${p.source!.version}`).sort();
    expect(actual).toEqual(expected);
    expect(found.packages!.some((p) => p.version.includes(':'))).toBe(true); // epochs kept
    expect(found.packages!.some((p) => p.source!.name !== p.name)).toBe(true);
  });

  it('parses a 2 MB status file in well under a second', () => {
    const one = fs.readFileSync('/var/lib/dpkg/status');
    const copies: Buffer[] = [];
    for (let size = 0; size < 2_000_000; size += one.length + 1) copies.push(one, Buffer.from('\n'));
    const big = Buffer.concat(copies);
    const t0 = performance.now();
    const result = readDpkgStatus(file(STATUS), big);
    expect(result.packages!.length).toBe(found.packages!.length * (copies.length / 2));
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('dpkg status stanzas', () => {
  const text = [
    'Package: libfoo1',
    'Status: install ok installed',
    'Priority: optional',
    'Architecture: amd64',
    'Source: foo (1:2.0-3)',
    'Version: 1:2.0-3+b1',
    'Description: a library',
    ' Package: not-a-package',
    ' .',
    ' Version: 0',
    '',
    'Package: removed',
    'Status: deinstall ok config-files',
    'Architecture: amd64',
    'Version: 1.0',
    '',
    '',
    'Package: bar',
    'Status: hold ok installed',
    'Architecture: all',
    'Version: 3.4',
    'Source: barsrc',
    '',
    'Package: half',
    'Status: install reinstreq half-installed',
    'Version: 1',
  ].join('\r\n');

  it('keeps installed packages only, with their source and its version', () => {
    const { packages } = readDpkgStatus(file(STATUS), Buffer.from(text));
    expect(packages).toEqual([
      {
        type: 'dpkg',
        name: 'libfoo1',
        version: '1:2.0-3+b1',
        source: { name: 'foo', version: '1:2.0-3' },
        path: STATUS,
        layer: 'sha256:bb',
        purl: expect.any(String),
        licenses: [],
      },
      expect.objectContaining({ name: 'bar', version: '3.4', source: { name: 'barsrc', version: '3.4' } }),
    ]);
    const purl = PackageURL.fromString(packages![0]!.purl);
    expect([purl.type, purl.namespace, purl.name, purl.version, purl.qualifiers]).toEqual(['deb', 'debian', 'libfoo1', '1:2.0-3+b1', { arch: 'amd64' }]);
  });

  it('reads distroless status.d files, which have no Status field', () => {
    const body = 'Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n\nPackage: netbase\nVersion: 6.4\nArchitecture: all\n';
    const { packages } = readDpkgStatus(file('var/lib/dpkg/status.d/base'), Buffer.from(body));
    expect(packages!.map((p) => [p.name, p.version, p.source!.name, p.path])).toEqual([
      ['base-files', '12.4+deb12u5', 'base-files', 'var/lib/dpkg/status.d/base'],
      ['netbase', '6.4', 'netbase', 'var/lib/dpkg/status.d/base'],
    ]);
  });

  it('notes stanzas it cannot use and binary content instead of throwing', () => {
    const missing = readDpkgStatus(file(STATUS), Buffer.from('Package: x\nStatus: install ok installed\n'));
    expect(missing.packages).toEqual([]);
    expect(missing.notes?.[0]?.message).toMatch(/without Package or Version/);
    const binary = readDpkgStatus(file(STATUS), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]));
    expect(binary.packages).toBeUndefined();
    expect(binary.notes).toHaveLength(1);
  });

  it('wants the status file and status.d entries but not md5sums', () => {
    const a = dpkgAnalyzer();
    const paths = ['var/lib/dpkg/status', 'var/lib/dpkg/status.d/libc6', 'var/lib/dpkg/status.d/libc6.md5sums', 'var/lib/dpkg/status-old', 'var/lib/dpkg/status.d/'];
    expect(paths.map((p) => a.wants(file(p)))).toEqual([true, true, false, false, false]);
  });
});
