// Go module versions: `v`-prefixed SemVer (golang.org/x/mod/semver). Pseudo-versions
// (`v0.0.0-20210101000000-abcdef123456`, `v1.2.4-0.2021…`) are prereleases and order by
// their timestamp; `+incompatible` is build metadata and does not count.
import semver from 'semver';

/** The SemVer reading of a Go version, with or without its `v` (OSV writes none); `v1` and `v1.2` mean `v1.0.0`, `v1.2.0`. */
function parse(v: string): semver.SemVer | null {
  const s = v.trim().replace(/^v/, '');
  const short = /^(\d+)(?:\.(\d+))?$/.exec(s);
  const full = short ? `${short[1]}.${short[2] ?? '0'}.0` : s;
  return semver.parse(full);
}

/**
 * Orders two Go module versions as `semver.Compare` does. Fallback (also Go's): a version
 * that is not valid sorts before every valid one; two invalid ones compare as strings (Go
 * calls them equal; a string order keeps sorting stable).
 */
export function compareGo(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (x && y) return x.compare(y);
  if (x) return 1;
  if (y) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `v` is a valid Go module version (the leading `v` optional). */
export function isValidGo(v: string): boolean {
  return parse(v) !== null;
}
