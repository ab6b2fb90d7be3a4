// Whether one installed version falls inside an OSV `affected` entry, by the OSV schema's
// evaluation rules (https://ossf.github.io/osv-schema/#evaluation).
import type { OsvAffected, OsvEvent, OsvRange } from '../types.ts';
import { compareVersions, type VersionScheme } from '../versions/index.ts';

export interface AffectedVerdict {
  affected: boolean;
  /** The fix that applies to this version: the `fixed` event closing the range it falls in; null when none. */
  fixed: string | null;
}

/** One event with its kind and version, as the evaluation walks them. */
interface Event {
  kind: 'introduced' | 'fixed' | 'last_affected';
  version: string;
}

const KIND_ORDER: Record<Event['kind'], number> = { introduced: 0, last_affected: 1, fixed: 2 };

function eventsOf(range: OsvRange): { events: Event[]; limits: string[] } {
  const events: Event[] = [];
  const limits: string[] = [];
  for (const e of range.events as OsvEvent[]) {
    if (typeof e.introduced === 'string') events.push({ kind: 'introduced', version: e.introduced });
    else if (typeof e.fixed === 'string') events.push({ kind: 'fixed', version: e.fixed });
    else if (typeof e.last_affected === 'string') events.push({ kind: 'last_affected', version: e.last_affected });
    else if (typeof e.limit === 'string') limits.push(e.limit);
  }
  return { events, limits };
}

/** Sorts events by version, `introduced: "0"` first; at one version, introduced before last_affected before fixed. */
function sortEvents(events: Event[], scheme: VersionScheme): Event[] {
  const isStart = (e: Event): boolean => e.kind === 'introduced' && e.version === '0';
  return [...events].sort((a, b) => {
    if (isStart(a) !== isStart(b)) return isStart(a) ? -1 : 1;
    return compareVersions(scheme, a.version, b.version) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  });
}

/** The verdict of one range: null when the version is not in it, else the fix that closes it (null when none). */
function inRange(range: OsvRange, scheme: VersionScheme, version: string): { fixed: string | null } | null {
  const { events, limits } = eventsOf(range);
  const cmp = (a: string, b: string): number => compareVersions(scheme, a, b);
  if (limits.length > 0 && !limits.some((l) => l === '*' || cmp(version, l) < 0)) return null;
  const sorted = sortEvents(events, scheme);
  let affected = false;
  let opened = -1;
  sorted.forEach((e, i) => {
    if (e.kind === 'introduced' && (e.version === '0' || cmp(version, e.version) >= 0)) {
      affected = true;
      opened = i;
    } else if (e.kind === 'fixed' && cmp(version, e.version) >= 0) affected = false;
    else if (e.kind === 'last_affected' && cmp(version, e.version) > 0) affected = false;
  });
  if (!affected) return null;
  const closing = sorted.slice(opened + 1).find((e) => e.kind !== 'introduced');
  return { fixed: closing?.kind === 'fixed' ? closing.version : null };
}

/** The scheme a range's versions are compared in: SEMVER ranges are SemVer (Go's flavour for Go). */
function schemeFor(range: OsvRange, scheme: VersionScheme): VersionScheme | null {
  if (range.type === 'ECOSYSTEM') return scheme;
  if (range.type === 'SEMVER') return scheme === 'go' ? 'go' : 'semver';
  return null;
}

/**
 * Whether `version` (of the package `affected` names) is affected, per the OSV schema's
 * evaluation rules: any ECOSYSTEM or SEMVER range containing it (GIT ranges are ignored),
 * or an exact entry of `versions` (same string, or a version the scheme calls equal). When
 * several ranges contain it, the fix is the highest of their fixes, or null if any of them
 * has none (only `last_affected`, or still open).
 */
export function affectedVersion(affected: OsvAffected, scheme: VersionScheme, version: string): AffectedVerdict {
  const hits: (string | null)[] = [];
  for (const range of affected.ranges ?? []) {
    const s = schemeFor(range, scheme);
    if (!s || !Array.isArray(range.events)) continue;
    const hit = inRange(range, s, version);
    if (hit) hits.push(hit.fixed);
  }
  if (hits.length > 0) {
    const fixes = hits.filter((f): f is string => f !== null);
    if (fixes.length < hits.length) return { affected: true, fixed: null };
    return { affected: true, fixed: fixes.reduce((a, b) => (compareVersions(scheme, a, b) >= 0 ? a : b)) };
  }
  const listed = (affected.versions ?? []).some((v) => v === version || compareVersions(scheme, v, version) === 0);
  return { affected: listed, fixed: null };
}
