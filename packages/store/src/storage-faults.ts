/**
 * Why the store could not write, when the cause is its disk: `full` (SQLite's SQLITE_FULL,
 * PostgreSQL's disk_full 53100) or `read-only` (SQLite's SQLITE_READONLY family); null for
 * any other error. The API answers these with a clear error and keeps serving reads.
 */
export function storeDiskFault(err: unknown): 'full' | 'read-only' | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === '53100') return 'full';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  return null;
}
