import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';
import { KyselyStore } from './kysely-store.ts';

/**
 * pg hands `bigint` (int8) values — counts, sizes, pull counts — back as strings so that
 * no precision is lost. Berth's are far below 2^53, and the store's rows are typed as
 * numbers, so this pool reads them as numbers like SQLite does (the store still wraps
 * them in Number()). Only this pool is affected, not pg's global parsers.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens a PostgreSQL store at `url` (`postgres://user:password@host:port/database`).
 * Connections are pooled and opened on first use; call `migrate()` before anything else.
 */
export function createPostgresStore(url: string, opts: { maxConnections?: number } = {}): KyselyStore {
  const pool = new pg.Pool({ connectionString: url, max: opts.maxConnections ?? 10, types });
  // A pooled connection that breaks while idle (a server restart, a network cut) is
  // dropped by the pool and the next query opens a new one; without a listener the
  // 'error' event would end the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore(db, 'postgres');
}
