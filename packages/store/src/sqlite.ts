import fs from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import { KyselyStore } from './kysely-store.ts';

/** Opens (creating if needed) a SQLite store at `path`; `:memory:` for tests. */
export function createSqliteStore(path: string): KyselyStore {
  let sqlite: Sqlite.Database;
  try {
    sqlite = new Sqlite(path);
    sqlite.pragma('journal_mode = WAL');
  } catch (err) {
    throw openFailure(path, err);
  }
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return new KyselyStore(db, 'sqlite');
}

/**
 * SQLite says only "unable to open database file" when its directory cannot be written:
 * say why (a read-only disk, no permission, a full disk) and where.
 */
function openFailure(path: string, err: unknown): Error {
  if (path === ':memory:') return err as Error;
  let reason = err instanceof Error ? err.message : String(err);
  try {
    fs.accessSync(dirname(path), fs.constants.W_OK);
  } catch (access) {
    const code = (access as NodeJS.ErrnoException).code;
    if (code === 'EROFS') reason = 'its disk is read-only (EROFS)';
    else if (code === 'EACCES' || code === 'EPERM') reason = `no write permission on its directory (${code})`;
    else if (code === 'ENOENT') reason = 'its directory does not exist';
  }
  if ((err as { code?: unknown }).code === 'SQLITE_FULL') reason = 'its disk is full';
  return new Error(`cannot open the SQLite database ${path}: ${reason}`, { cause: err });
}
