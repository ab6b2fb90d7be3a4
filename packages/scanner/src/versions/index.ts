// Version comparison per OSV ecosystem: which scheme an ecosystem's versions follow, and
// the ordering and validity of versions in each scheme.
import { compareApk, isValidApk } from './apk.ts';
import { compareDpkg, isValidDpkg } from './dpkg.ts';
import { compareGo, isValidGo } from './go.ts';
import { compareMaven, isValidMaven } from './maven.ts';
import { comparePep440, isValidPep440 } from './pep440.ts';
import { compareRpm, isValidRpm } from './rpm.ts';
import { compareSemver, isValidSemver } from './semver.ts';

export type VersionScheme = 'dpkg' | 'apk' | 'rpm' | 'semver' | 'pep440' | 'go' | 'maven';

const SCHEMES: Record<VersionScheme, { compare(a: string, b: string): number; valid(v: string): boolean }> = {
  dpkg: { compare: compareDpkg, valid: isValidDpkg },
  apk: { compare: compareApk, valid: isValidApk },
  rpm: { compare: compareRpm, valid: isValidRpm },
  semver: { compare: compareSemver, valid: isValidSemver },
  pep440: { compare: comparePep440, valid: isValidPep440 },
  go: { compare: compareGo, valid: isValidGo },
  maven: { compare: compareMaven, valid: isValidMaven },
};

/** OSV ecosystems (the part before the first `:`) whose ECOSYSTEM ranges use each scheme. */
const BY_ECOSYSTEM: Record<string, VersionScheme> = {
  Debian: 'dpkg',
  Ubuntu: 'dpkg',
  Alpine: 'apk',
  AlmaLinux: 'rpm',
  'Rocky Linux': 'rpm',
  'Red Hat': 'rpm',
  openSUSE: 'rpm',
  SUSE: 'rpm',
  Mageia: 'rpm',
  npm: 'semver',
  PyPI: 'pep440',
  Go: 'go',
  Maven: 'maven',
};

/** The version scheme of an OSV ecosystem name, or null when Berth cannot compare its versions. */
export function schemeOf(ecosystem: string): VersionScheme | null {
  const base = ecosystem.split(':', 1)[0]!;
  return Object.hasOwn(BY_ECOSYSTEM, base) ? BY_ECOSYSTEM[base]! : null;
}

/**
 * Orders two versions of one scheme: negative, 0, positive. Never throws. Fallbacks for
 * versions a scheme cannot parse: dpkg, apk and rpm order any string by their own character
 * rules, as the package managers do (apk stops at the first token it cannot read); Maven has
 * no invalid versions; for semver, pep440 and go an unparseable version sorts before every
 * valid one, and two unparseable ones compare as plain strings (semver first compares the
 * version `semver.coerce` finds in them).
 */
export function compareVersions(scheme: VersionScheme, a: string, b: string): number {
  return Math.sign(SCHEMES[scheme].compare(a, b)) || 0;
}

/** Whether `v` is a valid version in the scheme. */
export function isValidVersion(scheme: VersionScheme, v: string): boolean {
  return SCHEMES[scheme].valid(v);
}
