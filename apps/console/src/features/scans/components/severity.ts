import type { BadgeTone } from '@/components/ui/badge';
import type { Severity, SeverityCounts } from '@berth/api';

/** The levels a list counts, most severe first (the order chips and filters show them in). */
export const COUNTED_SEVERITIES = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const satisfies readonly (keyof SeverityCounts)[];

/** Every level, most severe first (`none` last: an advisory that says it is harmless). */
export const SEVERITIES_DESC: readonly Severity[] = [...COUNTED_SEVERITIES, 'none'];

/** Badge colours of the levels. */
export const SEVERITY_TONE: Record<Severity, BadgeTone> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warning',
  low: 'neutral',
  negligible: 'neutral',
  unknown: 'neutral',
  none: 'neutral',
};

/** The levels with at least one vulnerability, most severe first, with their counts. */
export function countedLevels(summary: SeverityCounts): { level: keyof SeverityCounts; count: number }[] {
  return COUNTED_SEVERITIES.filter((level) => summary[level] > 0).map((level) => ({ level, count: summary[level] }));
}

/** All vulnerabilities counted. */
export function totalCount(summary: SeverityCounts): number {
  return COUNTED_SEVERITIES.reduce((sum, level) => sum + summary[level], 0);
}

/** Turns one level of a severity filter on or off, keeping the filter most severe first. */
export function toggleLevel(current: readonly Severity[], level: Severity, on: boolean): Severity[] {
  const next = new Set(current);
  if (on) next.add(level);
  else next.delete(level);
  return SEVERITIES_DESC.filter((s) => next.has(s));
}
