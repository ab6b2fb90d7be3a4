// rpm's SQLite backend (`rpmdb.sqlite`, rpm ≥ 4.16): a `Packages` table of header blobs.

import Database from 'better-sqlite3';

/**
 * The header blobs of an `rpmdb.sqlite` file, read from memory. rpm keeps the database in WAL
 * mode; a deserialized database cannot use a WAL, so the header's mode bytes are set back to
 * rollback-journal on a copy (transactions still in a `-wal` file are not seen).
 */
export function sqliteHeaderBlobs(content: Buffer): Buffer[] {
  const copy = Buffer.from(content);
  if (copy.length >= 20 && copy[18] === 2) {
    copy[18] = 1;
    copy[19] = 1;
  }
  const db = new Database(copy, { readonly: true });
  try {
    const rows = db.prepare('SELECT blob FROM Packages ORDER BY hnum').raw().all() as [Buffer][];
    return rows.map((r) => r[0]);
  } finally {
    db.close();
  }
}
