// Java archives (`.jar`, `.war`, `.ear`): the Maven coordinates in
// `META-INF/maven/<groupId>/<artifactId>/pom.properties`, in the archive and in the archives
// it carries (Spring Boot `BOOT-INF/lib/*.jar`, `WEB-INF/lib/*.jar`, an ear's modules). An
// archive without pom.properties (built without Maven metadata) gives no package and no
// note: its coordinates cannot be known, and JDK images carry many such jars.
import { PackageURL } from 'packageurl-js';
import type { FileAnalyzer, FileFindings, FileInfo, InventoryPackage } from '../../types.ts';
import { forEachZipEntry } from './zip-entries.ts';

const ARCHIVE_SUFFIXES = ['.jar', '.war', '.ear'];
/** Nested archives are read this deep (an ear's war's jar is depth 2). */
export const MAX_JAR_DEPTH = 3;
/** Bytes inflated for nested archives and pom.properties over one outer archive. */
export const MAX_JAR_INFLATE = 256 * 1024 * 1024;
const MAX_POM_PROPERTIES = 64 * 1024;

/** True for names ending in `.jar`, `.war` or `.ear`. */
export function isJavaArchive(path: string): boolean {
  return ARCHIVE_SUFFIXES.some((s) => path.endsWith(s));
}

/** Java `.properties` key/values (`key=value`, `key: value`, `#`/`!` comments; no escapes, continuations or space separators: pom.properties needs none). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const sep = line.search(/[=:]/);
    if (sep <= 0) continue;
    out.set(line.slice(0, sep).trim(), line.slice(sep + 1).trim());
  }
  return out;
}

function isPomProperties(name: string): boolean {
  if (!name.startsWith('META-INF/maven/') || !name.endsWith('/pom.properties')) return false;
  return name.split('/').length === 5;
}

interface Budget {
  left: number;
}

async function readArchive(buffer: Buffer, depth: number, budget: Budget, found: Map<string, { group: string; artifact: string; version: string }>): Promise<void> {
  await forEachZipEntry(buffer, async (entry) => {
    if (isPomProperties(entry.name)) {
      if (entry.size > MAX_POM_PROPERTIES || entry.size > budget.left) return;
      budget.left -= entry.size;
      const props = parseProperties((await entry.read()).toString('utf8'));
      const group = props.get('groupId');
      const artifact = props.get('artifactId');
      const version = props.get('version');
      if (group && artifact && version && !version.includes('${')) found.set(`${group}:${artifact}@${version}`, { group, artifact, version });
      return;
    }
    if (depth < MAX_JAR_DEPTH && isJavaArchive(entry.name) && entry.size <= budget.left) {
      budget.left -= entry.size;
      const inner = await entry.read();
      // A nested archive that is no zip is skipped; the outer one still counts.
      await readArchive(inner, depth + 1, budget, found).catch(() => undefined);
    }
  });
}

/** The purl of a Maven artifact: `pkg:maven/org.example/lib@1.0.0`. */
export function mavenPurl(group: string, artifact: string, version: string): string {
  return new PackageURL('maven', group, artifact, version, undefined, undefined).toString();
}

async function analyzeJar(file: FileInfo, content: Buffer): Promise<FileFindings> {
  const found = new Map<string, { group: string; artifact: string; version: string }>();
  try {
    await readArchive(content, 0, { left: MAX_JAR_INFLATE }, found);
  } catch (err) {
    return { notes: [{ path: file.path, layer: file.layer, message: `Java archive is not a readable zip: ${(err as Error).message}` }] };
  }
  const packages: InventoryPackage[] = [...found.values()].map(({ group, artifact, version }) => ({
    type: 'maven',
    name: `${group}:${artifact}`,
    version,
    path: file.path,
    layer: file.layer,
    purl: mavenPurl(group, artifact, version),
    licenses: [],
  }));
  return packages.length > 0 ? { packages } : {};
}

/** Reads Maven artifacts out of Java archives, nested ones included (bounded in depth and size). */
export function jarAnalyzer(): FileAnalyzer {
  return {
    name: 'jar',
    maxBytes: 64 * 1024 * 1024,
    wants: (file) => isJavaArchive(file.path),
    analyze: analyzeJar,
  };
}
