import type { ScanOverview, ScanStatus } from '@berth/api';

/** A scan job is waiting or running: its status is read again until it is not. */
export function scanInProgress(status: ScanStatus | undefined): boolean {
  return status === 'queued' || status === 'scanning';
}

/** Whether results can be read: a finished scan, or (while a rescan waits or runs) the last one. */
export function hasResults(scan: Pick<ScanOverview, 'status' | 'scannedAt'> | undefined): boolean {
  return scan !== undefined && (scan.status === 'done' || (scanInProgress(scan.status) && scan.scannedAt !== null));
}

/** Whether the advisory database is missing or old enough that results may miss recent advisories. */
export function databaseWarning(db: { loaded: boolean; stale: boolean } | undefined): 'missing' | 'stale' | null {
  if (!db) return null;
  if (!db.loaded) return 'missing';
  return db.stale ? 'stale' : null;
}
