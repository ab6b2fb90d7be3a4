import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from './ports.ts';
import { buildTar } from './tar.ts';

describe('buildTar', () => {
  let dir: TempDir;
  afterAll(() => dir?.cleanup());

  it('is byte-for-byte deterministic whatever the key order', () => {
    const a = buildTar({ 'b.txt': 'b', 'a/x.txt': 'x' });
    const b = buildTar({ 'a/x.txt': 'x', 'b.txt': 'b' });
    expect(a.equals(b)).toBe(true);
    expect(a.length % 512).toBe(0);
  });

  it('writes an archive GNU tar lists: sorted, parents added, modes, symlinks, long names, mtime 0', async () => {
    dir = await tempDir('tar');
    const long = `${'d'.repeat(120)}/${'f'.repeat(90)}.txt`;
    const tar = buildTar({
      'usr/bin/tool': { content: '#!/bin/sh\n', mode: 0o755 },
      'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
      'usr/bin/alias': { symlink: 'tool' },
      [long]: Buffer.from([1, 2, 3]),
    });
    const file = join(dir.path, 'layer.tar');
    writeFileSync(file, tar);
    const listing = execFileSync('tar', ['-tvf', file, '--full-time', '--numeric-owner'], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.map((l) => l.split(/\s+/).slice(5).join(' '))).toEqual([
      `${'d'.repeat(120)}/`,
      `${long}`,
      'etc/',
      'etc/os-release',
      'usr/',
      'usr/bin/',
      'usr/bin/alias -> tool',
      'usr/bin/tool',
    ]);
    expect(listing.find((l) => l.endsWith('usr/bin/tool'))).toMatch(/^-rwxr-xr-x 0\/0 +10 1970-01-01 00:00:00 /);
    const out = join(dir.path, 'out');
    execFileSync('mkdir', [out]);
    execFileSync('tar', ['-xf', file, '-C', out]);
    expect(execFileSync('cat', [join(out, 'etc/os-release')], { encoding: 'utf8' })).toBe('ID=debian\nVERSION_ID="12"\n');
  });

  it('refuses paths that escape the layer', () => {
    expect(() => buildTar({ '../x': 'no' })).toThrow(/invalid layer path/);
  });
});
