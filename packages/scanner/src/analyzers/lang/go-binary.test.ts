import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FileInfo } from '../../types.ts';
import { goBinaryAnalyzer, GO_MIN_SIZE } from './go-binary.ts';
import { BUILDINFO_MAGIC } from './go-buildinfo.ts';
import { stdlibVersion } from './go-modinfo.ts';

const analyzer = goBinaryAnalyzer();

function info(path: string, size: number, mode = 0o755): FileInfo {
  return { path, size, mode, layer: 'sha256:l1' };
}

async function* chunked(buf: Buffer, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

// The sentinels the go command frames module info with (cmd/go/internal/modload infoStart/infoEnd).
const INFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const INFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

/** A Go ≥ 1.18 build info blob in the real layout: header, then varint-prefixed version and framed module info. */
function inlineBlob(goVersion: string, modinfo: string): Buffer {
  const header = Buffer.alloc(32);
  BUILDINFO_MAGIC.copy(header);
  header[14] = 8;
  header[15] = 0x2;
  const mod = Buffer.concat([INFO_START, Buffer.from(modinfo), INFO_END]);
  return Buffer.concat([header, uvarint(goVersion.length), Buffer.from(goVersion), uvarint(mod.length), mod]);
}

/**
 * A synthetic file shaped like an ELF executable (the ELF magic, filler, the blob at a
 * 16-byte aligned offset), not a runnable binary: enough for a reader that, like Go's, finds
 * the blob by its aligned magic.
 */
function syntheticElf(blob: Buffer, blobOffset: number, extra: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(blobOffset, 0x41);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(head);
  extra.copy(head, 64);
  return Buffer.concat([head, blob, Buffer.alloc(300_000, 0x42)]);
}

const MODINFO = [
  'path\texample.com/shop/cmd/server',
  'mod\texample.com/shop\tv1.4.2\th1:abc=',
  'dep\tgithub.com/gorilla/mux\tv1.8.0\th1:def=',
  'dep\tgolang.org/x/net\tv0.17.0',
  '=>\tgithub.com/fork/net\tv0.19.0\th1:ghi=',
  'dep\tgithub.com/local/patched\tv1.0.0',
  '=>\t../patched\t',
  'build\t-compiler=gc',
  'build\tGOOS=linux',
  '',
].join('\n');

describe('go binary analyzer on real Debian Go binaries', () => {
  // Independent source of the toolchain: the package's Built-Using field names the golang
  // source package it was built with, e.g. "golang-1.19 (= 1.19.8-2)".
  for (const bin of ['/usr/bin/skopeo', '/usr/bin/podman', '/usr/bin/docker-registry']) {
    it(`reads the Go version of ${bin}`, async () => {
      const owner = execFileSync('dpkg-query', ['-S', bin], { encoding: 'utf8' }).split(':')[0]!.trim();
      const builtUsing = execFileSync('dpkg-query', ['-W', '-f', '${Built-Using}', owner], { encoding: 'utf8' });
      const m = /golang-1\.\d+ \(= ([0-9.]+)-[^)]+\)/.exec(builtUsing);
      expect(m, `Built-Using of ${owner}`).not.toBeNull();
      const st = fs.statSync(bin);
      const file = info(bin.slice(1), st.size, st.mode);
      expect(analyzer.wants(file)).toBe(true);
      const found = await analyzer.analyzeStream!(file, fs.createReadStream(bin, { highWaterMark: 64 * 1024 }));
      const std = found.packages?.find((p) => p.name === 'stdlib');
      expect(std).toMatchObject({ type: 'go', version: m![1], purl: `pkg:golang/stdlib@${m![1]}`, path: bin.slice(1) });
      expect(found.notes ?? []).toEqual([]);
    });
  }

  it('finds the same build info whatever the chunk size', async () => {
    const bin = '/usr/bin/skopeo';
    const st = fs.statSync(bin);
    const a = await analyzer.analyzeStream!(info('usr/bin/skopeo', st.size), fs.createReadStream(bin, { highWaterMark: 4093 }));
    const b = await analyzer.analyzeStream!(info('usr/bin/skopeo', st.size), fs.createReadStream(bin, { highWaterMark: 1 << 20 }));
    expect(a.packages?.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it('reports nothing for an ELF executable that is no Go program', async () => {
    const bin = fs.realpathSync('/usr/bin/bash');
    const st = fs.statSync(bin);
    expect(await analyzer.analyzeStream!(info('usr/bin/bash', st.size), fs.createReadStream(bin))).toEqual({});
  });
});

describe('go binary analyzer on synthetic build info (Go ≥ 1.18 layout)', () => {
  const blob = inlineBlob('go1.21.5', MODINFO);
  const file = syntheticElf(blob, 4096);

  it('lists stdlib, the main module and the dependencies, replacements applied', async () => {
    const found = await analyzer.analyzeStream!(info('app/server', file.length), chunked(file, 65536));
    expect(found.notes).toBeUndefined();
    expect(found.packages?.map((p) => [p.name, p.version, p.purl])).toEqual([
      ['stdlib', '1.21.5', 'pkg:golang/stdlib@1.21.5'],
      ['example.com/shop', 'v1.4.2', 'pkg:golang/example.com/shop@v1.4.2'],
      ['github.com/gorilla/mux', 'v1.8.0', 'pkg:golang/github.com/gorilla/mux@v1.8.0'],
      // replaced by another module: its path and version
      ['github.com/fork/net', 'v0.19.0', 'pkg:golang/github.com/fork/net@v0.19.0'],
      // replaced by a local directory: the original module
      ['github.com/local/patched', 'v1.0.0', 'pkg:golang/github.com/local/patched@v1.0.0'],
    ]);
  });

  it('finds the blob wherever chunk boundaries fall', async () => {
    const want = await analyzer.analyzeStream!(info('app/server', file.length), chunked(file, 65536));
    for (const size of [1, 3, 7, 13, 14, 15, 16, 17, 31, 33, 4095, 4097, 4100]) {
      const small = size < 16 ? file.subarray(0, 4096 + blob.length + 64) : file;
      const got = await analyzer.analyzeStream!(info('app/server', small.length), chunked(small, size));
      expect(got, `chunk size ${size}`).toEqual(want);
    }
  });

  it('stops reading once the build info is found', async () => {
    let pulled = 0;
    async function* counting(): AsyncIterable<Buffer> {
      for await (const c of chunked(file, 4096)) {
        pulled++;
        yield c;
      }
    }
    const found = await analyzer.analyzeStream!(info('app/server', file.length), counting());
    expect(found.packages?.length).toBe(5);
    expect(pulled).toBeLessThan(Math.ceil(file.length / 4096) / 10);
  });

  it('skips the main module when it was built from a checkout ((devel))', async () => {
    const f = syntheticElf(inlineBlob('go1.22.0', 'path\tx.io/tool\nmod\tx.io/tool\t(devel)\t\ndep\tx.io/lib\tv0.1.0\n'), 8192);
    const found = await analyzer.analyzeStream!(info('tool', f.length), chunked(f, 1 << 16));
    expect(found.packages?.map((p) => p.name)).toEqual(['stdlib', 'x.io/lib']);
  });

  it('ignores a magic that is not 16-byte aligned or whose header is not build info', async () => {
    // at offset 65: a well-formed blob, but not aligned
    const unaligned = Buffer.concat([Buffer.alloc(1), inlineBlob('go1.99.0', 'path\tx.y/z\n')]);
    // at offset 64 + 192 = 256, aligned: the magic with pointer size 0x33, no header
    const decoy = Buffer.concat([BUILDINFO_MAGIC, Buffer.from([0x33, 0x02])]);
    const extra = Buffer.concat([unaligned, Buffer.alloc(192 - unaligned.length), decoy]);
    const f = syntheticElf(inlineBlob('go1.20', 'path\ta.b/c\n'), 16 * 1024, extra);
    const found = await analyzer.analyzeStream!(info('c', f.length), chunked(f, 1000));
    expect(found.packages?.map((p) => [p.name, p.version])).toEqual([['stdlib', '1.20.0']]);
  });

  it('says so for pre-1.18 (pointer-based) build info', async () => {
    const header = Buffer.alloc(32);
    BUILDINFO_MAGIC.copy(header);
    header[14] = 8;
    header[15] = 0;
    const f = syntheticElf(header, 4096);
    const found = await analyzer.analyzeStream!(info('old', f.length), chunked(f, 4096));
    expect(found).toEqual({ notes: [{ path: 'old', layer: 'sha256:l1', message: 'Go build info before Go 1.18 is not read' }] });
  });

  it('reads nothing from a file that is not ELF, even with build info inside', async () => {
    const f = Buffer.from(syntheticElf(blob, 4096));
    f[0] = 0x23;
    expect(await analyzer.analyzeStream!(info('script', f.length), chunked(f, 4096))).toEqual({});
  });

  it('notes a truncated blob as nothing found rather than throwing', async () => {
    const f = syntheticElf(Buffer.alloc(0), 4096);
    const cut = Buffer.concat([f.subarray(0, 4096), blob.subarray(0, 40)]);
    expect(await analyzer.analyzeStream!(info('cut', cut.length), chunked(cut, 100))).toEqual({});
  });
});

describe('go binary wants and versions', () => {
  it('wants executables of some size only, never shared libraries', () => {
    expect(analyzer.wants(info('usr/local/bin/app', GO_MIN_SIZE))).toBe(true);
    expect(analyzer.wants(info('usr/local/bin/app', GO_MIN_SIZE, 0o644))).toBe(false);
    expect(analyzer.wants(info('usr/local/bin/app', GO_MIN_SIZE - 1))).toBe(false);
    expect(analyzer.wants(info('usr/lib/libx.so.1', GO_MIN_SIZE * 4))).toBe(false);
  });

  it('writes toolchain versions as OSV stdlib versions', () => {
    expect(stdlibVersion('go1.21.5')).toBe('1.21.5');
    expect(stdlibVersion('go1.20')).toBe('1.20.0');
    expect(stdlibVersion('go1.21rc2')).toBe('1.21.0-rc.2');
    expect(stdlibVersion('go1.22.1 X:boringcrypto')).toBe('1.22.1');
    expect(stdlibVersion('devel go1.23-abcdef')).toBeNull();
  });
});
