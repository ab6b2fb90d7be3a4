import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Page } from '@berth/api';
import type { Database } from './schema.ts';
import type { Dialect } from './migrations.ts';
import { decodeCursor, encodeCursor } from './paging.ts';
import { CursorError } from './types.ts';

/** What an aggregate queries through: the store's database, or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>;

/**
 * Runs fn in a transaction of its own, or, when `db` already is one (the caller's
 * `store.transaction`), in that one: Kysely cannot nest transactions.
 */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** Ids are `serial` (32-bit) on PostgreSQL. */
const MAX_ID = 2 ** 31 - 1;

/**
 * `col > v OR (col = v AND id > lastId)` (or `<` when descending), for keyset paging.
 * The cursor's value must have the sort column's kind: PostgreSQL, unlike SQLite, fails
 * the query when a string is compared with a number column.
 */
export function after(expr: RawBuilder<unknown>, idCol: string, order: 'asc' | 'desc', cursor: string, kind: 'string' | 'number') {
  const { value, id } = decodeCursor(cursor);
  const fits = kind === 'number' ? Number.isSafeInteger(value) : typeof value === 'string';
  if (!fits || id < 0 || id > MAX_ID) throw new CursorError('cursor is not valid');
  const op = sql.raw(order === 'asc' ? '>' : '<');
  return sql<SqlBool>`(${expr} ${op} ${value} OR (${expr} = ${value} AND ${sql.ref(idCol)} ${op} ${id}))`;
}

export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === '23505';
}

export function pageOf<R extends { id: number }>(rows: R[], limit: number, sortValue: (r: R) => string | number | null): Page<R> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(sortValue(last), last.id) : null };
}

export function sortExpr(col: string, nullable: boolean): RawBuilder<unknown> {
  return nullable ? sql`coalesce(${sql.ref(col)}, '')` : sql`${sql.ref(col)}`;
}

/** `col`, or `at` when that is later (or `col` is null): ISO 8601 UTC strings compare as times. */
export function laterOf(col: string, at: string) {
  return sql<string>`case when ${sql.ref(col)} is null or ${sql.ref(col)} < ${at} then ${at} else ${sql.ref(col)} end`;
}

/**
 * The image's id, its row locked until the transaction ends on PostgreSQL (`for update`),
 * so concurrent pushes, deletes and pull flushes of one image take turns and its counts
 * stay right. SQLite has no row locks and needs none: its write transactions never overlap.
 */
export async function lockImage(trx: Db, dialect: Dialect, where: { id: number } | { repositoryId: number; name: string }): Promise<number | null> {
  let qb = trx.selectFrom('images').select('images.id');
  qb = 'id' in where ? qb.where('images.id', '=', where.id) : qb.where('repository_id', '=', where.repositoryId).where('name', '=', where.name);
  if (dialect === 'postgres') qb = qb.forUpdate();
  const row = await qb.executeTakeFirst();
  return row?.id ?? null;
}

/** The id of the image `name` of `repository`, its row locked as {@link lockImage} does. */
export async function lockImageByName(trx: Db, dialect: Dialect, repository: string, name: string): Promise<number | null> {
  const found = await trx
    .selectFrom('images')
    .innerJoin('repositories', 'repositories.id', 'images.repository_id')
    .select('images.id')
    .where('repositories.name', '=', repository)
    .where('images.name', '=', name)
    .executeTakeFirst();
  return found ? lockImage(trx, dialect, { id: found.id }) : null;
}
