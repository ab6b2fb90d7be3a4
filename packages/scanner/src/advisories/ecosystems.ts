// OSV ecosystem names and package names, as the advisory index keys them. An ecosystem
// string is a base (`Debian`, `npm`) and, for distributions, a release after the first
// colon (`Debian:12`, `Alpine:v3.19`, `Ubuntu:22.04:LTS`, `Ubuntu:Pro:18.04:LTS`).

import type { InventoryPackage, PackageType } from '../types.ts';

/** The base of an OSV ecosystem string: `Debian:12` → `Debian`, `Rocky Linux:9` → `Rocky Linux`, `npm` → `npm`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

/**
 * Whether an advisory's affected entry, filed under `advisoryEcosystem`, speaks of packages of
 * an image whose packages live in `imageEcosystem`.
 *
 * - Same string: yes (`Debian:12` advisories for a Debian 12 image, `npm` for npm).
 * - A release-less distribution entry (`Debian`, `AlmaLinux`, `Rocky Linux`): the OSV schema
 *   makes the release suffix optional for these and an entry without one is not scoped to a
 *   release, so it applies to every release of that distribution. OSV's own Debian data
 *   (DSA, DLA, DEBIAN-CVE) always names the release, so this is the rare case.
 * - Any other release, or Ubuntu Pro (`Ubuntu:Pro:22.04:LTS`, fixes only ESM subscribers get)
 *   for a plain Ubuntu image: no.
 * - Maven with a repository suffix (`Maven:https://maven.google.com`): yes for a Maven
 *   package, since an image's jar does not say which repository it came from.
 */
export function ecosystemApplies(advisoryEcosystem: string, imageEcosystem: string): boolean {
  if (advisoryEcosystem === imageEcosystem) return true;
  const base = ecosystemBase(advisoryEcosystem);
  if (base !== ecosystemBase(imageEcosystem)) return false;
  if (base === 'Maven') return true;
  return advisoryEcosystem === base && RELEASE_OPTIONAL.has(base);
}

/** Distributions whose OSV ecosystem may leave the release out (the schema's ecosystems list). */
const RELEASE_OPTIONAL: ReadonlySet<string> = new Set(['Debian', 'AlmaLinux', 'Rocky Linux']);

/** PEP 503: lower case, each run of `-`, `_` and `.` one `-` (`Foo_Bar.baz` → `foo-bar-baz`). */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * A package name as the index compares it within an ecosystem base: PyPI names
 * PEP 503-normalized (OSV writes them normalized, installed metadata often does not); npm
 * names, Go module paths, Maven `groupId:artifactId` and distribution package names exactly.
 */
export function normalizePackageName(base: string, name: string): string {
  return base === 'PyPI' ? pep503(name) : name;
}

/** The OSV ecosystem of each language package type; OS packages take the image's ecosystem instead. */
export const LANGUAGE_ECOSYSTEMS: Readonly<Partial<Record<PackageType, string>>> = {
  npm: 'npm',
  pypi: 'PyPI',
  go: 'Go',
  maven: 'Maven',
};

/** What an installed package is looked up as: ecosystem, name and version the advisories use. */
export interface LookupKey {
  ecosystem: string;
  name: string;
  version: string;
}

/**
 * How to look a package up, in order. Language packages: in their ecosystem by their own
 * name. dpkg and apk packages: in `osEcosystem` by their source package and its version
 * (OSV's Debian, Ubuntu and Alpine records are filed by source package, Alpine's by
 * origin), else by their own. rpm packages: by their own name first (AlmaLinux's and Rocky's
 * records come from errata, which list binary RPMs), then by their source RPM's name when it
 * differs. [] when there is nothing to look in: an OS package of an image whose OS has no
 * OSV ecosystem.
 */
export function lookupKeys(pkg: InventoryPackage, osEcosystem: string | null): LookupKey[] {
  const language = LANGUAGE_ECOSYSTEMS[pkg.type];
  if (language !== undefined) return [{ ecosystem: language, name: pkg.name, version: pkg.version }];
  if (osEcosystem === null) return [];
  const own = { ecosystem: osEcosystem, name: pkg.name, version: pkg.version };
  if (!pkg.source) return [own];
  const source = { ecosystem: osEcosystem, name: pkg.source.name, version: pkg.source.version };
  if (pkg.type !== 'rpm') return [source];
  return source.name === own.name ? [own] : [own, source];
}
