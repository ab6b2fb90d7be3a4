import { createHash } from 'node:crypto';
import { buildTar } from '@berth/testkit';
import { pack, type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import type { FileAnalyzer } from '../types.ts';
import { normalizeEntryPath, whiteoutOf } from './paths.ts';
import { chunked, osReleaseAnalyzer, streamHashAnalyzer, versionFileAnalyzer } from './test-support.ts';
import { walkLayer } from './walk.ts';

const LAYER = 'sha256:' + 'a'.repeat(64);

/** A tar written by tar-stream, entry names exactly as given (no clean-up). */
async function rawTar(entries: { header: Partial<Header> & { name: string }; body?: string | Buffer }[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) p.entry(e.header, e.body ?? '');
  p.finalize();
  const parts: Buffer[] = [];
  for await (const c of p) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const versions = (walk: Awaited<ReturnType<typeof walkLayer>>) =>
  Object.fromEntries([...walk.files].flatMap(([path, f]) => [...f.values()].flatMap((x) => x.packages ?? []).map((p) => [path, p.version])));

describe('entry paths', () => {
  it('makes tar names image-root-relative and refuses climbing out', () => {
    expect(normalizeEntryPath('./etc/os-release')).toBe('etc/os-release');
    expect(normalizeEntryPath('/usr//lib/./os-release')).toBe('usr/lib/os-release');
    expect(normalizeEntryPath('usr/lib/')).toBe('usr/lib');
    expect(normalizeEntryPath('a/../b')).toBe('b');
    expect(normalizeEntryPath('../etc/shadow')).toBeNull();
    expect(normalizeEntryPath('a/../../etc/shadow')).toBeNull();
  });

  it('reads whiteout markers', () => {
    expect(whiteoutOf('etc/.wh.passwd')).toEqual({ deleted: 'etc/passwd' });
    expect(whiteoutOf('.wh.opt')).toEqual({ deleted: 'opt' });
    expect(whiteoutOf('usr/share/.wh..wh..opq')).toEqual({ opaque: 'usr/share' });
    expect(whiteoutOf('etc/wh.passwd')).toBeNull();
  });
});

describe('walkLayer', () => {
  it('offers files under their clean path and notes the ones that climb out of the root', async () => {
    const tar = await rawTar([
      { header: { name: './etc/os-release' }, body: 'ID=debian\nVERSION_ID="12"\n' },
      { header: { name: '/app//a.version' }, body: '1.0.0\n' },
      { header: { name: '../../root/b.version' }, body: '6.6.6' },
    ]);
    const walk = await walkLayer(chunked(tar, 100), { digest: LAYER, analyzers: [osReleaseAnalyzer(), versionFileAnalyzer('.version')] });
    expect([...walk.files.keys()].sort()).toEqual(['app/a.version', 'etc/os-release']);
    expect(walk.files.get('etc/os-release')?.get('os-release')?.os).toMatchObject({ id: 'debian', versionId: '12' });
    expect(versions(walk)).toEqual({ 'app/a.version': '1.0.0' });
    expect(walk.notes).toEqual([{ path: '../../root/b.version', layer: LAYER, message: expect.stringContaining('climbs out') }]);
  });

  it('records whiteouts and opaque directories and does not hand them to analyzers', async () => {
    const seen: string[] = [];
    const all: FileAnalyzer = { name: 'all', wants: (f) => (seen.push(f.path), false), analyze: () => ({}) };
    const tar = buildTar({ 'etc/.wh.passwd': '', 'opt/.wh..wh..opq': '', 'opt/new.version': '2', '.wh.srv': '' });
    const walk = await walkLayer(chunked(tar), { digest: LAYER, analyzers: [all] });
    expect(walk.whiteouts.sort()).toEqual(['etc/passwd', 'srv']);
    expect(walk.opaqueDirs).toEqual(['opt']);
    expect(seen).toEqual(['opt/new.version']);
  });

  it('does not follow links, but records them as entries that hide lower files', async () => {
    const tar = await rawTar([
      { header: { name: 'app/real.version' }, body: '1' },
      { header: { name: 'app/hard.version', type: 'link', linkname: 'app/real.version' } },
      { header: { name: 'app/soft.version', type: 'symlink', linkname: 'real.version' } },
    ]);
    const walk = await walkLayer(chunked(tar), { digest: LAYER, analyzers: [versionFileAnalyzer('.version')] });
    expect(versions(walk)).toEqual({ 'app/real.version': '1' });
    expect([...walk.entries].sort()).toEqual(['app/hard.version', 'app/real.version', 'app/soft.version']);
  });

  it('notes a file larger than the analyzer reads, and reads the others', async () => {
    const tar = buildTar({ 'big.version': 'x'.repeat(2048), 'small.version': '3.1' });
    const walk = await walkLayer(chunked(tar), { digest: LAYER, analyzers: [versionFileAnalyzer('.version', 1024)] });
    expect(versions(walk)).toEqual({ 'small.version': '3.1' });
    expect(walk.files.get('big.version')?.get('version.version')?.notes).toEqual([
      { path: 'big.version', layer: LAYER, message: 'not read: larger than 1 KiB (version.version)' },
    ]);
  });

  it('feeds one read of a file to every analyzer that wants it, streaming ones included', async () => {
    const content = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7919) & 0xff;
    const expected = createHash('sha256').update(content).digest('hex');
    let wholeHash = '';
    const whole: FileAnalyzer = {
      name: 'whole',
      wants: (f) => f.path.endsWith('.bin'),
      analyze: (_f, c) => ((wholeHash = createHash('sha256').update(c).digest('hex')), {}),
    };
    // Stops after its first chunk: the read must go on for the others.
    const quitter: FileAnalyzer = {
      name: 'quitter',
      wants: (f) => f.path.endsWith('.bin'),
      analyzeStream: async (f, chunks) => {
        for await (const _c of chunks) break;
        return { notes: [{ path: f.path, layer: f.layer, message: 'quit' }] };
      },
    };
    const tar = buildTar({ 'usr/bin/tool.bin': content, 'after.version': '9' });
    const walk = await walkLayer(chunked(tar, 65536), {
      digest: LAYER,
      analyzers: [streamHashAnalyzer('a'), whole, quitter, streamHashAnalyzer('b'), versionFileAnalyzer('.version')],
    });
    const found = walk.files.get('usr/bin/tool.bin')!;
    expect(found.get('a')?.notes?.[0]?.message).toBe(`a ${content.length} ${expected}`);
    expect(found.get('b')?.notes?.[0]?.message).toBe(`b ${content.length} ${expected}`);
    expect(found.get('quitter')?.notes?.[0]?.message).toBe('quit');
    expect(wholeHash).toBe(expected);
    expect(versions(walk)).toEqual({ 'after.version': '9' });
  });

  it('turns an analyzer that throws into a note on that file and goes on', async () => {
    const broken: FileAnalyzer = { name: 'broken', wants: () => true, analyze: () => { throw new Error('boom'); } };
    const tar = buildTar({ 'a.version': '1', 'b.version': '2' });
    const walk = await walkLayer(chunked(tar), { digest: LAYER, analyzers: [broken, versionFileAnalyzer('.version')] });
    expect(versions(walk)).toEqual({ 'a.version': '1', 'b.version': '2' });
    expect(walk.files.get('a.version')?.get('broken')?.notes?.[0]?.message).toBe('broken could not read this file: boom');
  });

  it('fails on a tar that is not one', async () => {
    const junk = Buffer.alloc(4096, 0x41);
    await expect(walkLayer(chunked(junk), { digest: LAYER, analyzers: [] })).rejects.toThrow();
  });
});
