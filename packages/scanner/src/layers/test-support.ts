// Small analyzers and layer builders for the layer-walk and scan tests (not shipped code:
// only *.test.ts files import this).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FileAnalyzer, FileFindings, FileInfo } from '../types.ts';

/**
 * A whole-file analyzer for paths ending in `suffix`: one npm "package" per file, named by
 * its path, whose version is the file's text — so a test sees which layer's copy survived.
 */
export function versionFileAnalyzer(suffix: string, maxBytes?: number): FileAnalyzer {
  return {
    name: `version${suffix}`,
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    wants: (f: FileInfo) => f.path.endsWith(suffix),
    analyze: (f: FileInfo, content: Buffer): FileFindings => ({
      packages: [{ type: 'npm', name: f.path, version: content.toString('utf8').trim(), path: f.path, layer: f.layer, purl: `pkg:npm/${f.path}`, licenses: [] }],
    }),
  };
}

/** Reads `ID=` and `VERSION_ID=` of an os-release file. */
export function osReleaseAnalyzer(): FileAnalyzer {
  return {
    name: 'os-release',
    wants: (f) => f.path === 'etc/os-release' || f.path === 'usr/lib/os-release',
    analyze: (_f, content) => {
      const fields = Object.fromEntries(
        content
          .toString('utf8')
          .split('\n')
          .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')]),
      );
      return { os: { id: fields.ID ?? '', versionId: fields.VERSION_ID ?? null, prettyName: fields.PRETTY_NAME ?? null, ecosystem: null } };
    },
  };
}

/** A streaming analyzer for `*.bin`: reports the sha256 and byte count it was fed. */
export function streamHashAnalyzer(name = 'stream-hash'): FileAnalyzer {
  return {
    name,
    wants: (f) => f.path.endsWith('.bin'),
    analyzeStream: async (f, content) => {
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of content) {
        hash.update(chunk);
        bytes += chunk.length;
      }
      return { notes: [{ path: f.path, layer: f.layer, message: `${name} ${bytes} ${hash.digest('hex')}` }] };
    },
  };
}

/** sha256 digest of a blob. */
export function digestOf(blob: Uint8Array): string {
  return `sha256:${createHash('sha256').update(blob).digest('hex')}`;
}

/** Compresses with the real `zstd` command line tool (fzstd only decompresses). */
export function zstdCompress(data: Uint8Array): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr.toString()}${r.error ? String(r.error) : ''}`);
  return r.stdout;
}

/** gzip, as most layers are. */
export function gzip(data: Uint8Array): Buffer {
  return gzipSync(data);
}

/** A blob as an async iterable of `size`-byte chunks (as a registry download arrives). */
export async function* chunked(blob: Uint8Array, size = 4096): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < blob.length; i += size) yield blob.subarray(i, i + size);
}
