// Scan exclusions: what an image's results and counts leave out. The scanner records
// everything; these apply when results are shown and counted, so a settings change needs
// no new scan, only a recount.

/** Severity levels, lowest first (the API's order). */
const LEVELS = ['none', 'unknown', 'negligible', 'low', 'medium', 'high', 'critical'] as const;
type Level = (typeof LEVELS)[number];
const rank = (l: Level) => LEVELS.indexOf(l);

/** The exclusions of an image's scan settings (the API's `scanExclusions`). */
export interface Exclusions {
  languagePackages: boolean;
  secrets: boolean;
  withoutFix: boolean;
  /** Leave out vulnerabilities at or below this level; null: none by level. */
  atOrBelow: Level | null;
}

/** What exclusions and counts read of a vulnerability. */
export interface CountableVulnerability {
  severity: Level;
  fixedVersion: string | null;
  /** `dpkg`, `apk`, `rpm` are OS packages; anything else is a language package. */
  packageType: string;
}

const OS_TYPES = new Set(['dpkg', 'apk', 'rpm']);

/** The vulnerabilities and secrets the exclusions keep, in their order. */
export function applyExclusions<V extends CountableVulnerability, S>(vulnerabilities: readonly V[], secrets: readonly S[], ex: Exclusions): { vulnerabilities: V[]; secrets: S[] } {
  const floor = ex.atOrBelow === null ? -1 : rank(ex.atOrBelow);
  return {
    vulnerabilities: vulnerabilities.filter(
      (v) => !(ex.languagePackages && !OS_TYPES.has(v.packageType)) && !(ex.withoutFix && v.fixedVersion === null) && rank(v.severity) > floor,
    ),
    secrets: ex.secrets ? [] : [...secrets],
  };
}

/** Counts by severity (a `none` vulnerability is in no count), the Critical and High ones a version fixes, and secrets. */
export interface FindingCounts {
  counts: { critical: number; high: number; medium: number; low: number; negligible: number; unknown: number };
  fixable: { critical: number; high: number };
  secrets: number;
}

export function countFindings(vulnerabilities: readonly CountableVulnerability[], secrets: number): FindingCounts {
  const out: FindingCounts = { counts: { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 }, fixable: { critical: 0, high: 0 }, secrets };
  for (const v of vulnerabilities) {
    if (v.severity === 'none') continue;
    out.counts[v.severity] += 1;
    if (v.fixedVersion !== null && (v.severity === 'critical' || v.severity === 'high')) out.fixable[v.severity] += 1;
  }
  return out;
}
