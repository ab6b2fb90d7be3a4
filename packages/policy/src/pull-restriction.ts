// Pull restriction: whether /v2 serves a manifest (GET, HEAD), decided from the stored scan
// of the artifact the reference names. No scan happens on the pull path.

/** An image's pull restriction (the shape of the API's `pullRestriction`). */
export interface PullRestrictionRule {
  enabled: boolean;
  refuseUnscanned: boolean;
  criticalLimit: number | null;
  highLimit: number | null;
  ignoreWithoutFix: boolean;
}

/** The stored scan of the artifact pulled, or null when it was never scanned. */
export interface PulledScan {
  status: 'queued' | 'scanning' | 'done' | 'failed' | 'unsupported';
  /** Whether a scan of it ever finished: a rescan waiting, running or failed keeps the last results. */
  hasResults: boolean;
  error: string | null;
  counts: { critical: number; high: number };
  /** Counts of vulnerabilities a version fixes. */
  fixable: { critical: number; high: number };
}

/** Why a pull is refused: the rule, and what the client is told. */
export interface PullRefusal {
  rule: 'unscanned' | 'critical' | 'high';
  message: string;
  counts?: { critical: number; high: number };
}

/** The restriction an image applies: its own, else its repository's default, else none. */
export function effectiveRestriction(image: PullRestrictionRule | null, repository: PullRestrictionRule | null): PullRestrictionRule | null {
  return image ?? repository;
}

const UNSCANNED: Record<PulledScan['status'] | 'none', string> = {
  none: 'it has not been scanned',
  queued: 'its scan has not run yet',
  scanning: 'its scan has not finished',
  failed: 'its scan failed',
  unsupported: 'the scanner cannot read it',
  done: '',
};

/**
 * Null when `restriction` lets the artifact be pulled; else the rule that refuses it.
 * Unscanned covers never scanned, waiting, running, failed and unreadable (the refusal
 * says which, and for an unreadable artifact why). Limits are reached at the count
 * (a limit of 1 refuses one Critical); `ignoreWithoutFix` counts only fixable ones.
 * A rescan that is waiting, running or failed keeps the last finished results: their
 * counts still decide.
 */
export function pullVerdict(restriction: PullRestrictionRule | null, scan: PulledScan | null, image?: string): PullRefusal | null {
  if (!restriction?.enabled) return null;
  const what = image === undefined ? 'this artifact' : `this artifact of ${image}`;
  if (scan === null || !scan.hasResults) {
    if (!restriction.refuseUnscanned) return null;
    const why = UNSCANNED[scan?.status ?? 'none'] + (scan?.status === 'unsupported' && scan.error ? ` (${scan.error})` : '');
    return { rule: 'unscanned', message: `pull restricted: ${what} is refused because ${why}; unscanned artifacts may not be pulled` };
  }
  const counts = restriction.ignoreWithoutFix ? scan.fixable : scan.counts;
  const shown = { critical: counts.critical, high: counts.high };
  const fixNote = restriction.ignoreWithoutFix ? ' with a fix' : '';
  if (restriction.criticalLimit !== null && counts.critical >= restriction.criticalLimit) {
    return { rule: 'critical', counts: shown, message: `pull restricted: ${what} has ${counts.critical} Critical vulnerabilities${fixNote}; the limit is ${restriction.criticalLimit}` };
  }
  if (restriction.highLimit !== null && counts.high >= restriction.highLimit) {
    return { rule: 'high', counts: shown, message: `pull restricted: ${what} has ${counts.high} High vulnerabilities${fixNote}; the limit is ${restriction.highLimit}` };
  }
  return null;
}
