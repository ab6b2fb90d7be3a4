// What the index keeps of an OSV record: the fields matching and reporting read, nothing
// more, so that memory follows the number of records rather than their prose.

import type { OsvAffected, OsvRecord } from '../types.ts';

/** An OSV record cut down to what matching needs, plus its title and link worked out once. */
export interface AdvisoryRecord extends OsvRecord {
  /** The summary, else the first line of the details, trimmed; '' when the record has neither. */
  title: string;
  /** The first ADVISORY or WEB reference, else the record's OSV page. */
  url: string;
}

/** One affected entry with the record it belongs to: what an index lookup returns. */
export interface AdvisoryEntry {
  record: AdvisoryRecord;
  affected: OsvAffected;
  /** The entry's ecosystem as written (`Debian:12`). */
  ecosystem: string;
}

/** Whether a parsed JSON value has the shape of an OSV record (an id, and affected entries if any). */
export function isOsvRecord(value: unknown): value is OsvRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; affected?: unknown };
  return typeof v.id === 'string' && v.id !== '' && (v.affected === undefined || Array.isArray(v.affected));
}

/**
 * The part of a record the index keeps, or null for a withdrawn record (or one that affects
 * no package). Drops details, credits, GIT ranges (commits are never installed) and the
 * nested parts of `database_specific` / `ecosystem_specific`, keeping their plain values
 * (GHSA's `severity`, Ubuntu's priority…), which severity may be read from.
 */
export function compactRecord(record: OsvRecord): AdvisoryRecord | null {
  if (record.withdrawn) return null;
  const affected = (record.affected ?? []).filter((a) => a.package?.ecosystem && a.package.name).map(compactAffected);
  if (affected.length === 0) return null;
  const out: AdvisoryRecord = {
    id: record.id,
    modified: record.modified ?? '',
    aliases: record.aliases ?? [],
    title: titleOf(record),
    url: urlOf(record),
    affected,
  };
  if (record.summary !== undefined) out.summary = record.summary;
  if (record.severity?.length) out.severity = record.severity;
  const dbs = plainValues(record.database_specific);
  if (dbs) out.database_specific = dbs;
  return out;
}

function compactAffected(a: OsvAffected): OsvAffected {
  const out: OsvAffected = { package: { ecosystem: a.package!.ecosystem, name: a.package!.name } };
  const ranges = a.ranges?.filter((r) => r.type !== 'GIT');
  if (ranges?.length) out.ranges = ranges;
  if (a.versions?.length) out.versions = a.versions;
  if (a.severity?.length) out.severity = a.severity;
  const es = plainValues(a.ecosystem_specific);
  if (es) out.ecosystem_specific = es;
  const ds = plainValues(a.database_specific);
  if (ds) out.database_specific = ds;
  return out;
}

/** The string, number and boolean members of an object; undefined when there are none. */
function plainValues(o: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!o || typeof o !== 'object') return undefined;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') (out ??= {})[k] = v;
  }
  return out;
}

function titleOf(record: OsvRecord): string {
  const summary = record.summary?.trim();
  if (summary) return summary;
  return (record.details ?? '').trim().split('\n', 1)[0]!.trim();
}

function urlOf(record: OsvRecord): string {
  const ref = record.references?.find((r) => (r.type === 'ADVISORY' || r.type === 'WEB') && typeof r.url === 'string');
  return ref?.url ?? `https://osv.dev/vulnerability/${encodeURIComponent(record.id)}`;
}
