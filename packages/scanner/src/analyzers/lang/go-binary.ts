// Go executables: the Go toolchain version (as the `stdlib` package, where OSV's Go
// ecosystem files standard-library advisories) and the modules the binary was built from,
// read from the build info without holding the binary.
import { PackageURL } from 'packageurl-js';
import type { FileAnalyzer, FileFindings, FileInfo, InventoryPackage } from '../../types.ts';
import { BuildInfoFinder } from './go-buildinfo.ts';
import { effectiveModule, parseGoModInfo, stdlibVersion } from './go-modinfo.ts';

/** Executables smaller than this are no Go programs (a stripped hello world is over 1 MiB). */
export const GO_MIN_SIZE = 256 * 1024;
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** The purl of a Go module: `pkg:golang/github.com/org/mod@v1.2.3`. */
export function goPurl(modulePath: string, version: string): string {
  const slash = modulePath.lastIndexOf('/');
  const namespace = slash > 0 ? modulePath.slice(0, slash) : undefined;
  const name = slash > 0 ? modulePath.slice(slash + 1) : modulePath;
  return new PackageURL('golang', namespace, name, version || undefined, undefined, undefined).toString();
}

function goPackage(file: FileInfo, name: string, version: string): InventoryPackage {
  return { type: 'go', name, version, path: file.path, layer: file.layer, purl: goPurl(name, version), licenses: [] };
}

/**
 * Turns build info into packages: `stdlib` with the toolchain release, the main module when
 * it has a real version (`(devel)` — built from a checkout — is skipped: no advisory range
 * can place it, and the version it shows is no release), and each dependency (replaced ones
 * under their replacement, see `effectiveModule`). Versions stay as Go writes them (`v1.2.3`);
 * stdlib's as OSV writes it (`1.21.5`).
 */
export function goBuildInfoFindings(file: FileInfo, goVersion: string, modinfo: string): FileFindings {
  const packages: InventoryPackage[] = [];
  const notes: FileFindings['notes'] = [];
  const std = stdlibVersion(goVersion);
  if (std) packages.push(goPackage(file, 'stdlib', std));
  else notes.push({ path: file.path, layer: file.layer, message: `Go toolchain "${goVersion.slice(0, 80)}" is not a release: stdlib not matched` });
  const info = parseGoModInfo(modinfo);
  if (info.main) {
    const main = effectiveModule(info.main);
    if (main.version !== '' && main.version !== '(devel)') packages.push(goPackage(file, main.path, main.version));
  }
  const seen = new Set<string>();
  for (const dep of info.deps) {
    const m = effectiveModule(dep);
    const key = `${m.path}@${m.version}`;
    if (m.version === '' || seen.has(key)) continue;
    seen.add(key);
    packages.push(goPackage(file, m.path, m.version));
  }
  return notes.length > 0 ? { packages, notes } : { packages };
}

async function analyzeGoStream(file: FileInfo, content: AsyncIterable<Buffer>): Promise<FileFindings> {
  const finder = new BuildInfoFinder();
  let head: Buffer = Buffer.alloc(0);
  let isElf: boolean | null = null;
  try {
    // Reading stops as soon as the answer is known (not ELF, or the build info found): the
    // layer walk lets a streaming analyzer return early and reads on for the others.
    for await (const chunk of content) {
      if (isElf === null) {
        head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
        if (head.length < ELF_MAGIC.length) continue;
        isElf = head.subarray(0, ELF_MAGIC.length).equals(ELF_MAGIC);
        if (!isElf) break;
        finder.push(head);
        head = Buffer.alloc(0);
      } else {
        finder.push(chunk);
      }
      if (finder.done) break;
    }
  } catch (err) {
    return { notes: [{ path: file.path, layer: file.layer, message: `Go binary could not be read: ${(err as Error).message}` }] };
  }
  if (!isElf) return {};
  const r = finder.result();
  if (r.kind === 'none') return {};
  if (r.kind === 'pointer') {
    return { notes: [{ path: file.path, layer: file.layer, message: 'Go build info before Go 1.18 is not read' }] };
  }
  return goBuildInfoFindings(file, r.goVersion, r.modinfo);
}

/** Reads Go executables (ELF, executable bit, at least `GO_MIN_SIZE` bytes) as a stream. */
export function goBinaryAnalyzer(): FileAnalyzer {
  return {
    name: 'go-binary',
    wants: (file) => (file.mode & 0o111) !== 0 && file.size >= GO_MIN_SIZE && !file.path.endsWith('.so') && !file.path.includes('.so.'),
    analyzeStream: analyzeGoStream,
  };
}
