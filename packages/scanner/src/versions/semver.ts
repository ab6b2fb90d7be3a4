// npm versions: SemVer 2.0.0 as the `semver` package reads it (OSV npm ranges are SEMVER).
import semver from 'semver';

/** The parsed version, strict first, then `semver`'s loose reading (`=1.2.3`, `v1.2.3-beta`); null when neither reads it. */
function parse(v: string): semver.SemVer | null {
  return semver.parse(v) ?? semver.parse(v, { loose: true });
}

/**
 * Orders two npm versions by SemVer precedence (prereleases before their release, build
 * metadata ignored). Fallback: a version `semver` cannot read even loosely sorts before every
 * readable one; two unreadable ones compare by the version `semver.coerce` finds in them
 * (`2.0` → 2.0.0), then as strings.
 */
export function compareSemver(a: string, b: string): number {
  const x = parse(a.trim());
  const y = parse(b.trim());
  if (x && y) return x.compare(y);
  if (x) return 1;
  if (y) return -1;
  const cx = semver.coerce(a);
  const cy = semver.coerce(b);
  const byCoerced = cx && cy ? cx.compare(cy) : 0;
  return byCoerced || (a < b ? -1 : a > b ? 1 : 0);
}

/** Whether `v` is a SemVer version (strictly, or in `semver`'s loose form). */
export function isValidSemver(v: string): boolean {
  return parse(v.trim()) !== null;
}
