// How severe an advisory is for one affected package: a scored CVSS vector when the record
// gives one, else the level the publishing database assigned.
import cvss from 'ae-cvss-calculator';
import type { OsvAffected, OsvRecord, OsvSeverity, Severity } from '../types.ts';

export interface SeverityVerdict {
  severity: Severity;
  score: number | null;
  vector: string | null;
}

/** CVSS qualitative rating: 0 → none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical. */
export function severityOfScore(score: number): Severity {
  if (!(score > 0)) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** The CVSS version a vector is written in, from its prefix; v2 vectors have none. */
function cvssVersion(vector: string): 4 | 3.1 | 3 | 2 | null {
  if (vector.startsWith('CVSS:4.0/')) return 4;
  if (vector.startsWith('CVSS:3.1/')) return 3.1;
  if (vector.startsWith('CVSS:3.0/')) return 3;
  if (/^AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(vector)) return 2;
  return null;
}

/**
 * The base score of a CVSS vector, or null when it is not a complete, well-formed vector.
 * ae-cvss-calculator is a UMD bundle: under Node's ESM only its default export (the CommonJS
 * `module.exports`) is reachable, so its classes are taken from there.
 */
function baseScore(vector: string): number | null {
  const version = cvssVersion(vector);
  if (version === null) return null;
  try {
    const parsed =
      version === 4 ? new cvss.Cvss4P0(vector) : version === 3.1 ? new cvss.Cvss3P1(vector) : version === 3 ? new cvss.Cvss3P0(vector) : new cvss.Cvss2(vector);
    if (!parsed.isBaseFullyDefined()) return null;
    const base = parsed.calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base) && base >= 0 && base <= 10 ? base : null;
  } catch {
    return null;
  }
}

/** The best-scoring-version CVSS vector of one severity list: v4, then v3.1/v3.0, then v2; malformed ones skipped. */
function fromCvss(list: OsvSeverity[] | undefined): SeverityVerdict | null {
  const vectors = (list ?? [])
    .filter((s) => typeof s?.score === 'string' && /^CVSS_V[234]$/.test(s.type))
    .map((s) => s.score.trim().replace(/^\((.*)\)$/, '$1'))
    .map((vector) => ({ vector, version: cvssVersion(vector) ?? 0 }))
    .sort((a, b) => b.version - a.version);
  for (const { vector } of vectors) {
    const score = baseScore(vector);
    if (score !== null) return { severity: severityOfScore(score), score, vector };
  }
  return null;
}

/** Databases' own words for their levels (GHSA, Ubuntu, Debian urgency, Red Hat, SUSE, AlmaLinux …). */
const LEVELS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'negligible',
  unimportant: 'negligible',
  none: 'none',
};

function level(value: unknown): Severity | null {
  if (typeof value !== 'string') return null;
  // Debian marks some urgencies with `*` or `**` (e.g. "low**"); the level is the word.
  const word = value.trim().toLowerCase().replace(/\*+$/, '');
  return Object.hasOwn(LEVELS, word) ? LEVELS[word]! : null;
}

function fromDatabase(record: OsvRecord, affected: OsvAffected | undefined): Severity | null {
  const candidates: unknown[] = [];
  for (const bag of [affected?.ecosystem_specific, affected?.database_specific, record.database_specific]) {
    if (bag && typeof bag === 'object') candidates.push(bag.severity, bag.urgency);
  }
  for (const list of [affected?.severity, record.severity]) {
    for (const s of list ?? []) if (s && !/^CVSS_V[234]$/.test(s.type)) candidates.push(s.score);
  }
  for (const c of candidates) {
    const found = level(c);
    if (found) return found;
  }
  return null;
}

/**
 * The severity of a record for one affected entry: the highest-version CVSS vector (V4
 * preferred over V3 over V2) among the affected entry's own `severity`, then the record's;
 * else a database-specific level (`database_specific.severity` such as GHSA's "HIGH"/
 * "MODERATE", Ubuntu's `severity: [{type:'Ubuntu', score:'medium'}]`, Debian urgency
 * "unimportant" → negligible, Red Hat's "Important" → high); else 'unknown'. Never throws:
 * a malformed vector is passed over for the next source.
 */
export function severityOf(record: OsvRecord, affected?: OsvAffected): SeverityVerdict {
  const scored = fromCvss(affected?.severity) ?? fromCvss(record.severity);
  if (scored) return scored;
  const named = fromDatabase(record, affected);
  return { severity: named ?? 'unknown', score: null, vector: null };
}
