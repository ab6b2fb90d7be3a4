// Matching an inventory against advisory entries: pick each package's ecosystem and name,
// look its entries up, ask the version scheme whether the installed version is affected.

import type { Inventory, InventoryPackage, ScanNote, Vulnerability } from '../types.ts';
import { SEVERITIES } from '../types.ts';
import { schemeOf, type VersionScheme } from '../versions/index.ts';
import { affectedVersion } from './affected.ts';
import { ecosystemApplies, lookupKeys } from './ecosystems.ts';
import type { AdvisoryEntry } from './record.ts';
import { severityOf, type SeverityVerdict } from './severity.ts';

/** Finds the advisory entries filed under a package name in an ecosystem (any release of it). */
export type AdvisoryLookup = (ecosystem: string, name: string) => readonly AdvisoryEntry[];

/** What matching found, and what it could not match. */
export interface MatchResult {
  /** One per (advisory id, package, path), worst severity first, then by id. */
  vulnerabilities: Vulnerability[];
  /** Why some packages were not matched (no advisories for the image's OS, a version scheme unknown…). */
  notes: ScanNote[];
  /** Whether OS packages were matched: false when the image has OS packages but no OSV ecosystem for its OS. */
  osMatched: boolean;
}

const RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
const severityCache = new WeakMap<object, SeverityVerdict>();

/** Severity of an entry, worked out once per affected entry. */
function severity(entry: AdvisoryEntry): SeverityVerdict {
  let v = severityCache.get(entry.affected);
  if (!v) {
    v = severityOf(entry.record, entry.affected);
    severityCache.set(entry.affected, v);
  }
  return v;
}

/**
 * The vulnerabilities of an inventory. OS packages (dpkg, apk, rpm) are looked up in the
 * image's OSV ecosystem (`inventory.os.ecosystem`): dpkg and apk by source package, rpm by
 * binary then source name; with no ecosystem they are not matched, and a note says so.
 * Language packages are looked up in npm, PyPI, Go or Maven (see `lookupKeys`). An entry
 * applies when its ecosystem is the image's (see `ecosystemApplies`) and `affectedVersion`
 * says the installed version is in it.
 */
export function matchInventory(inventory: Inventory, lookup: AdvisoryLookup): MatchResult {
  const osEcosystem = inventory.os?.ecosystem ?? null;
  const notes: ScanNote[] = [];
  const found = new Map<string, Vulnerability>();
  const unknownSchemes = new Set<string>();
  let unmatchedOs: InventoryPackage | null = null;
  let unmatchedOsCount = 0;

  for (const pkg of inventory.packages) {
    const keys = lookupKeys(pkg, osEcosystem);
    if (keys.length === 0) {
      unmatchedOs ??= pkg;
      unmatchedOsCount += 1;
      continue;
    }
    for (const key of keys) {
      const entries = lookup(key.ecosystem, key.name);
      if (entries.length === 0) continue;
      const scheme: VersionScheme | null = schemeOf(key.ecosystem);
      if (!scheme) {
        if (!unknownSchemes.has(key.ecosystem)) {
          unknownSchemes.add(key.ecosystem);
          notes.push({ path: pkg.path, layer: pkg.layer, message: `no version order is known for the ${key.ecosystem} ecosystem: its packages are not matched` });
        }
        continue;
      }
      for (const entry of entries) {
        if (!ecosystemApplies(entry.ecosystem, key.ecosystem)) continue;
        const verdict = affectedVersion(entry.affected, scheme, key.version);
        if (!verdict.affected) continue;
        const id = `${entry.record.id}\u0000${pkg.name}\u0000${pkg.path}`;
        const seen = found.get(id);
        if (seen && (seen.fixedVersion !== null || verdict.fixed === null)) continue;
        found.set(id, vulnerability(entry, pkg, verdict.fixed));
      }
    }
  }

  if (unmatchedOs) {
    const os = inventory.os ? (inventory.os.prettyName ?? inventory.os.id) : 'an unknown distribution (no os-release file)';
    notes.push({ path: unmatchedOs.path, layer: unmatchedOs.layer, message: `${unmatchedOsCount} OS packages not matched: Berth has no advisories for ${os}` });
  }
  return { vulnerabilities: [...found.values()].sort(byWorstThenId), notes, osMatched: unmatchedOs === null };
}

function vulnerability(entry: AdvisoryEntry, pkg: InventoryPackage, fixed: string | null): Vulnerability {
  const sev = severity(entry);
  return {
    id: entry.record.id,
    aliases: entry.record.aliases ?? [],
    url: entry.record.url,
    severity: sev.severity,
    score: sev.score,
    vector: sev.vector,
    title: entry.record.title,
    package: pkg.name,
    packageType: pkg.type,
    installedVersion: pkg.version,
    fixedVersion: fixed,
    path: pkg.path,
    layer: pkg.layer,
  };
}

function byWorstThenId(a: Vulnerability, b: Vulnerability): number {
  return (
    (RANK.get(b.severity) ?? 0) - (RANK.get(a.severity) ?? 0) ||
    cmp(a.id, b.id) ||
    cmp(a.package, b.package) ||
    cmp(a.path, b.path)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
