import type { ScanSettings, Severity } from '@berth/api';

/** The settings an image has before anyone sets them: no scan on push, nothing left out. */
export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  scanOnPush: false,
  exclude: { languagePackages: false, secrets: false, withoutFix: false, atOrBelow: null },
};

/** The choices of "Exclude levels at or below", lowest first; `''` is "(nothing)". */
export const AT_OR_BELOW_CHOICES: readonly ('' | Severity)[] = ['', 'none', 'unknown', 'negligible', 'low', 'medium', 'high', 'critical'];

/** The select's value back to the setting. */
export function atOrBelowOf(value: string): Severity | null {
  return AT_OR_BELOW_CHOICES.includes(value as Severity) && value !== '' ? (value as Severity) : null;
}

/** How many exclusions are on (the section's summary says "2 exclusions"). */
export function exclusionCount(settings: ScanSettings): number {
  const e = settings.exclude;
  return [e.languagePackages, e.secrets, e.withoutFix, e.atOrBelow !== null].filter(Boolean).length;
}
