import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { osEcosystem, osInfoFromOsRelease, osReleaseAnalyzer, parseOsRelease, pickOs } from './os-release.ts';

const file = (p: string) => ({ path: p, size: 0, mode: 0o644, layer: 'sha256:aa' });

describe('parseOsRelease', () => {
  it('unquotes values the way a POSIX shell does', () => {
    const text = [
      '# a comment',
      'NAME="Berth \\"Test\\" Linux"',
      "ID='berth'",
      'VERSION_ID=1.2',
      '',
      'HOME_URL="https://example.org/\\$x"',
      'MIXED="a b"\'c d\'e',
      'BACKSLASH="C:\\\\dir"',
      'TRAILING=plain # comment',
    ].join('\r\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'os-release-'));
    const p = path.join(dir, 'os-release');
    fs.writeFileSync(p, text.replaceAll('\r\n', '\n'));
    const keys = ['NAME', 'ID', 'VERSION_ID', 'HOME_URL', 'MIXED', 'BACKSLASH', 'TRAILING'];
    // The shell is the reference: os-release is meant to be sourced by it.
    const script = `. "${p}"; ${keys.map((k) => `printf '%s\\0' "$${k}"`).join('; ')}`;
    const expected = execFileSync('sh', ['-c', script]).toString('utf8').split('\0').slice(0, -1);
    const parsed = parseOsRelease(text);
    expect(keys.map((k) => parsed.get(k))).toEqual(expected);
    expect(parsed.get('NAME')).toBe('Berth "Test" Linux');
  });

  it("reads this machine's os-release like the shell does", () => {
    const p = fs.existsSync('/etc/os-release') ? '/etc/os-release' : '/usr/lib/os-release';
    const [id, versionId, pretty] = execFileSync('sh', ['-c', `. ${p}; printf '%s\\0%s\\0%s' "$ID" "$VERSION_ID" "$PRETTY_NAME"`])
      .toString('utf8')
      .split('\0');
    const info = osInfoFromOsRelease(fs.readFileSync(p, 'utf8'));
    expect(info).toMatchObject({ id, versionId: versionId || null, prettyName: pretty });
    if (id === 'debian' && versionId) expect(info?.ecosystem).toBe(`Debian:${versionId.split('.')[0]}`);
  });
});

describe('osEcosystem', () => {
  it.each([
    ['debian', '12', 'Debian:12'],
    ['debian', null, null],
    ['ubuntu', '22.04', 'Ubuntu:22.04:LTS'],
    ['ubuntu', '24.04', 'Ubuntu:24.04:LTS'],
    ['ubuntu', '23.10', 'Ubuntu:23.10'],
    ['ubuntu', '23.04', 'Ubuntu:23.04'],
    ['alpine', '3.19.1', 'Alpine:v3.19'],
    ['almalinux', '9.3', 'AlmaLinux:9'],
    ['rocky', '9.3', 'Rocky Linux:9'],
    ['fedora', '39', null],
  ])('%s %s → %s', (id, version, ecosystem) => {
    expect(osEcosystem(id, version)).toBe(ecosystem);
  });
});

describe('os-release analyzer', () => {
  const analyzer = osReleaseAnalyzer();

  it('wants only the two os-release paths', () => {
    expect(['etc/os-release', 'usr/lib/os-release', 'etc/os-release.d/x', 'x/etc/os-release'].map((p) => analyzer.wants(file(p)))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('returns the OS of an Alpine image', async () => {
    const text = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';
    expect(await analyzer.analyze!(file('etc/os-release'), Buffer.from(text))).toEqual({
      os: { id: 'alpine', versionId: '3.19.1', prettyName: 'Alpine Linux v3.19', ecosystem: 'Alpine:v3.19' },
    });
  });

  it('returns a note, not an error, for content without ID', async () => {
    const found = await analyzer.analyze!(file('etc/os-release'), Buffer.from([0xff, 0x00, 0x12]));
    expect(found.os).toBeUndefined();
    expect(found.notes?.[0]?.path).toBe('etc/os-release');
  });
});

describe('pickOs', () => {
  const debian = { id: 'debian', versionId: '12', prettyName: null, ecosystem: 'Debian:12' };
  const ubuntu = { id: 'ubuntu', versionId: '22.04', prettyName: null, ecosystem: 'Ubuntu:22.04:LTS' };
  it('prefers etc/os-release over usr/lib/os-release, whatever the order', () => {
    expect(pickOs([{ path: 'usr/lib/os-release', os: ubuntu }, { path: 'etc/os-release', os: debian }])).toBe(debian);
    expect(pickOs([{ path: 'usr/lib/os-release', os: ubuntu }])).toBe(ubuntu);
    expect(pickOs([])).toBeNull();
  });
});
