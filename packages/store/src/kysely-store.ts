import { Migrator, sql, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { Page, Platform } from '@berth/api';
import type { ArtifactsTable, Database, ImagesTable } from './schema.ts';
import { JobQueue } from './jobs.ts';
import { BerthMigrations, type Dialect } from './migrations.ts';
import { decodeCursor, encodeCursor, likePattern } from './paging.ts';
import {
  ConflictError,
  CursorError,
  type AccountRecord,
  type ArtifactRecord,
  type AuditEntry,
  type ChildRecord,
  type ImageRecord,
  type ListQuery,
  type ManifestPush,
  type NewJob,
  type Permission,
  type PullTally,
  type RepositoryRecord,
  type RepositoryUserRecord,
  type Role,
  type SessionRecord,
  type Status,
  type StatusChange,
  type Store,
  type TagRecord,
} from './types.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Ids are `serial` (32-bit) on PostgreSQL. */
const MAX_ID = 2 ** 31 - 1;

/**
 * `col > v OR (col = v AND id > lastId)` (or `<` when descending), for keyset paging.
 * The cursor's value must have the sort column's kind: PostgreSQL, unlike SQLite, fails
 * the query when a string is compared with a number column.
 */
function after(expr: RawBuilder<unknown>, idCol: string, order: 'asc' | 'desc', cursor: string, kind: 'string' | 'number') {
  const { value, id } = decodeCursor(cursor);
  const fits = kind === 'number' ? Number.isSafeInteger(value) : typeof value === 'string';
  if (!fits || id < 0 || id > MAX_ID) throw new CursorError('cursor is not valid');
  const op = sql.raw(order === 'asc' ? '>' : '<');
  return sql<SqlBool>`(${expr} ${op} ${value} OR (${expr} = ${value} AND ${sql.ref(idCol)} ${op} ${id}))`;
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === '23505';
}

function pageOf<R extends { id: number }>(rows: R[], limit: number, sortValue: (r: R) => string | number | null): Page<R> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(sortValue(last), last.id) : null };
}

const IMAGE_SORT = {
  name: { col: 'images.name', kind: 'string' },
  artifactCount: { col: 'images.artifact_count', kind: 'number' },
  pullCount: { col: 'images.pull_count', kind: 'number' },
  lastModifiedAt: { col: 'images.last_modified_at', kind: 'string' },
} as const;

const ARTIFACT_SORT = {
  pushedAt: { col: 'artifacts.pushed_at', nullable: false, kind: 'string' },
  pulledAt: { col: 'artifacts.pulled_at', nullable: true, kind: 'string' },
  pullCount: { col: 'artifacts.pull_count', nullable: false, kind: 'number' },
  size: { col: 'artifacts.size', nullable: false, kind: 'number' },
} as const;

const TAG_SORT = {
  name: { col: 'tags.name', nullable: false, kind: 'string' },
  pushedAt: { col: 'tags.pushed_at', nullable: false, kind: 'string' },
  pulledAt: { col: 'tags.pulled_at', nullable: true, kind: 'string' },
  pullCount: { col: 'tags.pull_count', nullable: false, kind: 'number' },
} as const;

function sortExpr(col: string, nullable: boolean): RawBuilder<unknown> {
  return nullable ? sql`coalesce(${sql.ref(col)}, '')` : sql`${sql.ref(col)}`;
}

/** `col`, or `at` when that is later (or `col` is null): ISO 8601 UTC strings compare as times. */
function laterOf(col: string, at: string) {
  return sql<string>`case when ${sql.ref(col)} is null or ${sql.ref(col)} < ${at} then ${at} else ${sql.ref(col)} end`;
}

/**
 * The Store on Kysely; the dialect only changes DDL spelling, connection set-up and row
 * locks. SQLite runs one write transaction at a time; PostgreSQL runs them side by side
 * (read committed), so a transaction that rewrites an image's counts first locks the
 * image's row ({@link KyselyStore.lockImage}), and multi-row updates go in a fixed order.
 */
export class KyselyStore implements Store {
  private readonly jobs: JobQueue;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {
    this.jobs = new JobQueue(db, dialect);
  }

  enqueueJob(job: NewJob, now: string) {
    return this.jobs.enqueue(job, now);
  }
  leaseJob(owner: string, now: string, until: string, kinds?: string[]) {
    return this.jobs.lease(owner, now, until, kinds);
  }
  renewJobLease(id: number, owner: string, until: string, now: string) {
    return this.jobs.renew(id, owner, until, now);
  }
  finishJob(id: number, owner: string, outcome: Parameters<JobQueue['finish']>[2], now: string) {
    return this.jobs.finish(id, owner, outcome, now);
  }
  getJob(id: number) {
    return this.jobs.get(id);
  }
  jobStats(now: string) {
    return this.jobs.stats(now);
  }

  /**
   * Several Berth instances may start at once against one PostgreSQL database. Kysely
   * 0.28's Migrator makes that safe by itself: it creates its `kysely_migration` and
   * `kysely_migration_lock` tables with `if not exists` (re-checking after a failed create
   * or insert, which a concurrent one causes), then takes a session-level
   * `pg_advisory_lock` on one connection (PostgresAdapter.acquireMigrationLock, with a
   * one-hour lock_timeout), and only then reads which migrations ran and applies the rest
   * in one transaction, releasing the lock after it commits. A second instance waits for
   * the lock, finds everything applied and does nothing. On SQLite the lock row in
   * `kysely_migration_lock` and the database's single writer serialise it instead. The
   * store suite's PostgreSQL tests migrate one database from several stores at once.
   */
  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: new BerthMigrations(this.dialect) });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async getSetting(key: string): Promise<string | null> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async initSetting(key: string, value: string): Promise<string> {
    await this.db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
    return (await this.getSetting(key)) ?? value;
  }

  async putSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  // ── accounts and sessions ────────────────────────────────────────────────

  async countAccounts(): Promise<number> {
    const row = await this.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createAccount(a: { username: string; passwordHash: string; role: Role; at: string }): Promise<AccountRecord> {
    try {
      await this.db
        .insertInto('accounts')
        .values({ username: a.username, password_hash: a.passwordHash, role: a.role, disabled: 0, created_at: a.at })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`account ${a.username} already exists`);
      throw e;
    }
    return (await this.getAccount(a.username))!;
  }

  async listAccounts(): Promise<AccountRecord[]> {
    const rows = await this.db.selectFrom('accounts').select('username').orderBy('username').execute();
    return (await Promise.all(rows.map((r) => this.getAccount(r.username)))).filter((a): a is AccountRecord => a !== null);
  }

  async getAccount(username: string): Promise<AccountRecord | null> {
    const r = await this.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      username: r.username,
      passwordHash: r.password_hash,
      role: r.role as Role,
      disabled: r.disabled === 1,
      createdAt: r.created_at,
    };
  }

  async createSession(s: { idHash: string; accountId: number; csrfToken: string; at: string; expiresAt: string }) {
    await this.db
      .insertInto('sessions')
      .values({ id_hash: s.idHash, account_id: s.accountId, csrf_token: s.csrfToken, created_at: s.at, expires_at: s.expiresAt })
      .execute();
  }

  async getSession(idHash: string, now: string): Promise<SessionRecord | null> {
    const r = await this.db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .select(['sessions.account_id', 'sessions.csrf_token', 'sessions.expires_at', 'accounts.username', 'accounts.role', 'accounts.disabled'])
      .where('sessions.id_hash', '=', idHash)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    if (!r) return null;
    return {
      accountId: r.account_id,
      username: r.username,
      role: r.role as Role,
      disabled: r.disabled === 1,
      csrfToken: r.csrf_token,
      expiresAt: r.expires_at,
    };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  // ── repositories ─────────────────────────────────────────────────────────

  private repositoryQuery() {
    return this.db
      .selectFrom('repositories')
      .selectAll('repositories')
      .select((eb) =>
        eb
          .selectFrom('images')
          .whereRef('images.repository_id', '=', 'repositories.id')
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('image_count'),
      );
  }

  private toRepository(r: {
    id: number;
    name: string;
    description: string;
    image_count: number | string | null;
    created_at: string;
    created_by: string;
    updated_at: string;
    updated_by: string;
  }): RepositoryRecord {
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      imageCount: Number(r.image_count ?? 0),
      createdAt: r.created_at,
      createdBy: r.created_by,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    };
  }

  async createRepository(r: { name: string; description: string; at: string; actor: string }): Promise<RepositoryRecord> {
    try {
      await this.db
        .insertInto('repositories')
        .values({ name: r.name, description: r.description, created_at: r.at, created_by: r.actor, updated_at: r.at, updated_by: r.actor })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`repository ${r.name} already exists`);
      throw e;
    }
    return (await this.getRepository(r.name))!;
  }

  async getRepository(name: string): Promise<RepositoryRecord | null> {
    const r = await this.repositoryQuery().where('repositories.name', '=', name).executeTakeFirst();
    return r ? this.toRepository(r) : null;
  }

  async repositoryId(name: string): Promise<number | null> {
    const r = await this.db.selectFrom('repositories').select('id').where('name', '=', name).executeTakeFirst();
    return r ? r.id : null;
  }

  async listRepositories(q: ListQuery<'name'>): Promise<Page<RepositoryRecord>> {
    let qb = this.repositoryQuery();
    if (q.q) qb = qb.where(sql<SqlBool>`lower(repositories.name) like ${likePattern(q.q)} escape '\\'`);
    const expr = sql`${sql.ref('repositories.name')}`;
    if (q.cursor) qb = qb.where(after(expr, 'repositories.id', q.order, q.cursor, 'string'));
    const rows = await qb.orderBy('repositories.name', q.order).orderBy('repositories.id', q.order).limit(q.limit + 1).execute();
    const page = pageOf(rows.map((r) => this.toRepository(r)), q.limit, (r) => r.name);
    return page;
  }

  async updateRepository(name: string, r: { description: string; at: string; actor: string }) {
    await this.db
      .updateTable('repositories')
      .set({ description: r.description, updated_at: r.at, updated_by: r.actor })
      .where('name', '=', name)
      .execute();
    return this.getRepository(name);
  }

  async deleteRepository(name: string): Promise<boolean> {
    const res = await this.db.deleteFrom('repositories').where('name', '=', name).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  // ── repository users ─────────────────────────────────────────────────────

  private userQuery() {
    return this.db
      .selectFrom('repository_users')
      .innerJoin('repositories', 'repositories.id', 'repository_users.repository_id')
      .selectAll('repository_users')
      .select('repositories.name as repository');
  }

  private toUser(r: {
    id: number;
    repository_id: number;
    repository: string;
    name: string;
    permission: string;
    disabled: number;
    expires_at: string | null;
    created_at: string;
    created_by: string;
    last_used_at: string | null;
  }): RepositoryUserRecord {
    return {
      id: r.id,
      repositoryId: r.repository_id,
      repository: r.repository,
      name: r.name,
      permission: r.permission as Permission,
      disabled: r.disabled === 1,
      expiresAt: r.expires_at,
      createdAt: r.created_at,
      createdBy: r.created_by,
      lastUsedAt: r.last_used_at,
    };
  }

  async createRepositoryUser(u: {
    repositoryId: number;
    name: string;
    permission: Permission;
    secretHash: string;
    expiresAt: string | null;
    at: string;
    actor: string;
  }): Promise<RepositoryUserRecord> {
    try {
      await this.db
        .insertInto('repository_users')
        .values({
          repository_id: u.repositoryId,
          name: u.name,
          permission: u.permission,
          secret_hash: u.secretHash,
          disabled: 0,
          expires_at: u.expiresAt,
          created_at: u.at,
          created_by: u.actor,
          last_used_at: null,
        })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`repository user ${u.name} already exists`);
      throw e;
    }
    return (await this.getRepositoryUser(u.repositoryId, u.name))!;
  }

  async listRepositoryUsers(repositoryId: number): Promise<RepositoryUserRecord[]> {
    const rows = await this.userQuery().where('repository_users.repository_id', '=', repositoryId).orderBy('repository_users.name').execute();
    return rows.map((r) => this.toUser(r));
  }

  async getRepositoryUser(repositoryId: number, name: string) {
    const r = await this.userQuery()
      .where('repository_users.repository_id', '=', repositoryId)
      .where('repository_users.name', '=', name)
      .executeTakeFirst();
    return r ? this.toUser(r) : null;
  }

  async findRepositoryUserBySecret(secretHash: string) {
    const r = await this.userQuery().where('repository_users.secret_hash', '=', secretHash).executeTakeFirst();
    return r ? this.toUser(r) : null;
  }

  async getRepositoryUserById(id: number) {
    const r = await this.userQuery().where('repository_users.id', '=', id).executeTakeFirst();
    return r ? this.toUser(r) : null;
  }

  async updateRepositoryUser(
    id: number,
    patch: { disabled?: boolean; expiresAt?: string | null; permission?: Permission; secretHash?: string },
  ) {
    const set: Partial<{ disabled: number; expires_at: string | null; permission: string; secret_hash: string }> = {};
    if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
    if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
    if (patch.permission !== undefined) set.permission = patch.permission;
    if (patch.secretHash !== undefined) set.secret_hash = patch.secretHash;
    if (Object.keys(set).length > 0) await this.db.updateTable('repository_users').set(set).where('id', '=', id).execute();
    return this.getRepositoryUserById(id);
  }

  async deleteRepositoryUser(id: number): Promise<boolean> {
    const res = await this.db.deleteFrom('repository_users').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async touchRepositoryUsers(lastUsed: Map<number, string>): Promise<void> {
    if (lastUsed.size === 0) return;
    // In id order, so two instances flushing at once lock rows in the same order.
    const entries = [...lastUsed].sort(([a], [b]) => a - b);
    await this.db.transaction().execute(async (trx) => {
      for (const [id, at] of entries) {
        await trx
          .updateTable('repository_users')
          .set({ last_used_at: at })
          .where('id', '=', id)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
          .execute();
      }
    });
  }

  // ── images, artifacts, tags ──────────────────────────────────────────────

  private imageQuery(db: Db = this.db) {
    return db
      .selectFrom('images')
      .innerJoin('repositories', 'repositories.id', 'images.repository_id')
      .selectAll('images')
      .select('repositories.name as repository');
  }

  private toImage(r: ImageRow): ImageRecord {
    return {
      id: r.id,
      repositoryId: r.repository_id,
      repository: r.repository,
      name: r.name,
      description: r.description,
      status: r.status as ImageRecord['status'],
      artifactCount: Number(r.artifact_count),
      tagCount: Number(r.tag_count),
      pullCount: Number(r.pull_count),
      pushedAt: r.pushed_at,
      pulledAt: r.pulled_at,
      lastModifiedAt: r.last_modified_at,
      createdAt: r.created_at,
      createdBy: r.created_by,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    };
  }

  async listImages(
    repositoryId: number,
    q: ListQuery<'name' | 'artifactCount' | 'pullCount' | 'lastModifiedAt'>,
  ): Promise<Page<ImageRecord>> {
    const { col, kind } = IMAGE_SORT[q.sort];
    let qb = this.imageQuery().where('images.repository_id', '=', repositoryId);
    if (q.q) qb = qb.where(sql<SqlBool>`lower(images.name) like ${likePattern(q.q)} escape '\\'`);
    if (q.cursor) qb = qb.where(after(sql`${sql.ref(col)}`, 'images.id', q.order, q.cursor, kind));
    const rows = await qb.orderBy(sql.ref(col), q.order).orderBy('images.id', q.order).limit(q.limit + 1).execute();
    const images = rows.map((r) => this.toImage(r));
    const key = ({ name: 'name', artifactCount: 'artifactCount', pullCount: 'pullCount', lastModifiedAt: 'lastModifiedAt' } as const)[q.sort];
    return pageOf(images, q.limit, (r) => r[key]);
  }

  async catalog(repositoryIds: number[] | null, n: number, last: string | undefined): Promise<string[]> {
    let qb = this.db
      .selectFrom('images')
      .innerJoin('repositories', 'repositories.id', 'images.repository_id')
      .select(sql<string>`repositories.name || '/' || images.name`.as('full'));
    if (repositoryIds) {
      if (repositoryIds.length === 0) return [];
      qb = qb.where('images.repository_id', 'in', repositoryIds);
    }
    if (last) qb = qb.where(sql<SqlBool>`repositories.name || '/' || images.name > ${last}`);
    const rows = await qb.orderBy('full').limit(n).execute();
    return rows.map((r) => r.full);
  }

  async getImage(repositoryId: number, name: string): Promise<ImageRecord | null> {
    const r = await this.imageQuery().where('images.repository_id', '=', repositoryId).where('images.name', '=', name).executeTakeFirst();
    return r ? this.toImage(r) : null;
  }

  async updateImage(id: number, patch: { description: string; at: string; actor: string }) {
    await this.db
      .updateTable('images')
      .set({ description: patch.description, updated_at: patch.at, updated_by: patch.actor })
      .where('id', '=', id)
      .execute();
    const r = await this.imageQuery().where('images.id', '=', id).executeTakeFirst();
    return r ? this.toImage(r) : null;
  }

  /** Top-level artifacts: not a child of another artifact of the image, unless tagged. */
  private topLevel(db: Db, imageId: number) {
    return db
      .selectFrom('artifacts')
      .selectAll('artifacts')
      .where('artifacts.image_id', '=', imageId)
      .where((eb) =>
        eb.or([
          eb.not(
            eb.exists(
              eb
                .selectFrom('artifact_children')
                .select('artifact_children.position')
                .whereRef('artifact_children.image_id', '=', 'artifacts.image_id')
                .whereRef('artifact_children.child_digest', '=', 'artifacts.digest'),
            ),
          ),
          eb.exists(eb.selectFrom('tags').select('tags.id').whereRef('tags.artifact_id', '=', 'artifacts.id')),
        ]),
      );
  }

  private async decorate(db: Db, rows: ArtifactRow[]): Promise<ArtifactRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [tagRows, childRows] = await Promise.all([
      db.selectFrom('tags').select(['artifact_id', 'name', 'status']).where('artifact_id', 'in', ids).orderBy('name').execute(),
      db.selectFrom('artifact_children').selectAll().where('parent_id', 'in', ids).orderBy('parent_id').orderBy('position').execute(),
    ]);
    const tags = new Map<number, string[]>();
    const tagStatus = new Map<number, Record<string, Status>>();
    for (const t of tagRows) {
      tags.set(t.artifact_id, [...(tags.get(t.artifact_id) ?? []), t.name]);
      if (t.status === 'Active') continue;
      const statuses = tagStatus.get(t.artifact_id) ?? {};
      statuses[t.name] = t.status as Status;
      tagStatus.set(t.artifact_id, statuses);
    }
    const children = new Map<number, ChildRecord[]>();
    for (const c of childRows) {
      const list = children.get(c.parent_id) ?? [];
      list.push({
        digest: c.child_digest,
        mediaType: c.media_type,
        size: Number(c.size),
        platform: c.platform ? (JSON.parse(c.platform) as Platform) : null,
      });
      children.set(c.parent_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      digest: r.digest,
      mediaType: r.media_type,
      artifactType: r.artifact_type,
      size: Number(r.size),
      platforms: JSON.parse(r.platforms) as Platform[],
      pushedAt: r.pushed_at,
      pulledAt: r.pulled_at,
      pullCount: Number(r.pull_count),
      status: r.status as Status,
      tags: tags.get(r.id) ?? [],
      tagStatus: tagStatus.get(r.id) ?? {},
      children: children.get(r.id) ?? [],
    }));
  }

  async listArtifacts(imageId: number, q: ListQuery<'pushedAt' | 'pulledAt' | 'pullCount' | 'size'>): Promise<Page<ArtifactRecord>> {
    const { col, nullable, kind } = ARTIFACT_SORT[q.sort];
    const expr = sortExpr(col, nullable);
    let qb = this.topLevel(this.db, imageId);
    if (q.q) {
      const pattern = likePattern(q.q);
      qb = qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('tags')
            .select('tags.id')
            .whereRef('tags.artifact_id', '=', 'artifacts.id')
            .where(sql<SqlBool>`lower(tags.name) like ${pattern} escape '\\'`),
        ),
      );
    }
    if (q.cursor) qb = qb.where(after(expr, 'artifacts.id', q.order, q.cursor, kind));
    const rows = await qb.orderBy(expr, q.order).orderBy('artifacts.id', q.order).limit(q.limit + 1).execute();
    const key = ({ pushedAt: 'pushedAt', pulledAt: 'pulledAt', pullCount: 'pullCount', size: 'size' } as const)[q.sort];
    const page = pageOf(rows, q.limit, () => null);
    const items = await this.decorate(this.db, page.items);
    const last = items[items.length - 1];
    const value = last ? (key === 'pulledAt' ? (last.pulledAt ?? '') : last[key]) : null;
    return { items, nextCursor: page.nextCursor && last ? encodeCursor(value, last.id) : null };
  }

  async getArtifact(imageId: number, digest: string): Promise<ArtifactRecord | null> {
    const rows = await this.db.selectFrom('artifacts').selectAll().where('image_id', '=', imageId).where('digest', '=', digest).execute();
    const [a] = await this.decorate(this.db, rows);
    return a ?? null;
  }

  async listTags(imageId: number, q: ListQuery<'name' | 'pushedAt' | 'pulledAt' | 'pullCount'>): Promise<Page<TagRecord>> {
    const { col, nullable, kind } = TAG_SORT[q.sort];
    const expr = sortExpr(col, nullable);
    let qb = this.db
      .selectFrom('tags')
      .innerJoin('artifacts', 'artifacts.id', 'tags.artifact_id')
      .select(['tags.id', 'tags.name', 'artifacts.digest', 'tags.status', 'tags.pushed_at', 'tags.pulled_at', 'tags.pull_count'])
      .where('tags.image_id', '=', imageId);
    if (q.q) qb = qb.where(sql<SqlBool>`lower(tags.name) like ${likePattern(q.q)} escape '\\'`);
    if (q.cursor) qb = qb.where(after(expr, 'tags.id', q.order, q.cursor, kind));
    const rows = await qb.orderBy(expr, q.order).orderBy('tags.id', q.order).limit(q.limit + 1).execute();
    const tags = rows.map((r) => ({
      id: r.id,
      name: r.name,
      digest: r.digest,
      status: r.status as Status,
      pushedAt: r.pushed_at,
      pulledAt: r.pulled_at,
      pullCount: Number(r.pull_count),
    }));
    const key = ({ name: 'name', pushedAt: 'pushedAt', pulledAt: 'pulledAt', pullCount: 'pullCount' } as const)[q.sort];
    const page = pageOf(tags, q.limit, (r) => (key === 'pulledAt' ? (r.pulledAt ?? '') : r[key]));
    return { items: page.items.map(({ id: _id, ...t }) => t), nextCursor: page.nextCursor };
  }

  async tagMap(imageId: number): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('tags')
      .innerJoin('artifacts', 'artifacts.id', 'tags.artifact_id')
      .select(['tags.name', 'artifacts.digest'])
      .where('tags.image_id', '=', imageId)
      .execute();
    return new Map(rows.map((r) => [r.name, r.digest]));
  }

  async untaggedDigests(imageId: number): Promise<string[]> {
    const rows = await this.topLevel(this.db, imageId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('tags').select('tags.id').whereRef('tags.artifact_id', '=', 'artifacts.id'))))
      .orderBy('artifacts.digest')
      .execute();
    return rows.map((r) => r.digest);
  }

  private async refreshImageCounts(trx: Db, imageId: number): Promise<void> {
    const artifacts = await this.topLevel(trx, imageId)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const tags = await trx
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('image_id', '=', imageId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('images')
      .set({ artifact_count: Number(artifacts.n), tag_count: Number(tags.n) })
      .where('id', '=', imageId)
      .execute();
  }

  /**
   * The image's id, its row locked until the transaction ends on PostgreSQL (`for update`),
   * so concurrent pushes, deletes and pull flushes of one image take turns and its counts
   * stay right. SQLite has no row locks and needs none: its write transactions never overlap.
   */
  private async lockImage(trx: Db, where: { id: number } | { repositoryId: number; name: string }): Promise<number | null> {
    let qb = trx.selectFrom('images').select('images.id');
    qb = 'id' in where ? qb.where('images.id', '=', where.id) : qb.where('repository_id', '=', where.repositoryId).where('name', '=', where.name);
    if (this.dialect === 'postgres') qb = qb.forUpdate();
    const row = await qb.executeTakeFirst();
    return row?.id ?? null;
  }

  /** The id of the image `name` of `repository`, its row locked as {@link lockImage} does. */
  private async lockImageByName(trx: Db, repository: string, name: string): Promise<number | null> {
    const found = await trx
      .selectFrom('images')
      .innerJoin('repositories', 'repositories.id', 'images.repository_id')
      .select('images.id')
      .where('repositories.name', '=', repository)
      .where('images.name', '=', name)
      .executeTakeFirst();
    return found ? this.lockImage(trx, { id: found.id }) : null;
  }

  async recordManifestPush(p: ManifestPush): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const repo = await trx.selectFrom('repositories').select('id').where('name', '=', p.repository).executeTakeFirst();
      if (!repo) throw new Error(`repository ${p.repository} does not exist`);
      let imageId = await this.lockImage(trx, { repositoryId: repo.id, name: p.image });
      if (imageId === null) {
        // A concurrent first push of the same image may insert it first: then do nothing.
        await trx
          .insertInto('images')
          .values({
            repository_id: repo.id,
            name: p.image,
            description: '',
            status: 'Active',
            artifact_count: 0,
            tag_count: 0,
            pull_count: 0,
            pushed_at: p.at,
            pulled_at: null,
            last_modified_at: p.at,
            created_at: p.at,
            created_by: p.actor,
            updated_at: p.at,
            updated_by: p.actor,
          })
          .onConflict((oc) => oc.columns(['repository_id', 'name']).doNothing())
          .execute();
        imageId = await this.lockImage(trx, { repositoryId: repo.id, name: p.image });
        if (imageId === null) throw new Error(`image ${p.repository}/${p.image} vanished while it was pushed`);
      }
      await trx
        .insertInto('artifacts')
        .values({
          image_id: imageId,
          digest: p.digest,
          media_type: p.mediaType,
          artifact_type: p.artifactType,
          size: p.size,
          platforms: JSON.stringify(p.platforms),
          pushed_at: p.at,
          pulled_at: null,
          pull_count: 0,
          status: 'Active',
        })
        .onConflict((oc) =>
          oc.columns(['image_id', 'digest']).doUpdateSet({
            media_type: p.mediaType,
            artifact_type: p.artifactType,
            size: p.size,
            platforms: JSON.stringify(p.platforms),
            // Pushed again: a Deleting or Inactive artifact is Active again.
            status: 'Active',
          }),
        )
        .execute();
      const artifactId = await this.artifactId(trx, imageId, p.digest);
      if (artifactId === null) throw new Error(`artifact ${p.digest} vanished while it was pushed`);
      await trx.deleteFrom('artifact_children').where('parent_id', '=', artifactId).execute();
      if (p.children.length > 0) {
        await trx
          .insertInto('artifact_children')
          .values(
            p.children.map((c, position) => ({
              image_id: imageId,
              parent_id: artifactId,
              child_digest: c.digest,
              media_type: c.mediaType,
              size: c.size,
              platform: c.platform ? JSON.stringify(c.platform) : null,
              position,
            })),
          )
          .execute();
      }
      if (p.tag) {
        await trx
          .insertInto('tags')
          .values({ image_id: imageId, artifact_id: artifactId, name: p.tag, pushed_at: p.at, pulled_at: null, pull_count: 0, status: 'Active' })
          .onConflict((oc) => oc.columns(['image_id', 'name']).doUpdateSet({ artifact_id: artifactId, pushed_at: p.at, status: 'Active' }))
          .execute();
      }
      await trx
        .updateTable('images')
        .set({ pushed_at: p.at, last_modified_at: laterOf('last_modified_at', p.at) })
        .where('id', '=', imageId)
        .execute();
      await this.refreshImageCounts(trx, imageId);
    });
  }

  private async artifactId(db: Db, imageId: number, digest: string): Promise<number | null> {
    const row = await db.selectFrom('artifacts').select('id').where('image_id', '=', imageId).where('digest', '=', digest).executeTakeFirst();
    return row?.id ?? null;
  }

  /**
   * Statuses change under the image's row lock too, like pushes and deletes of the image,
   * so a push that makes an artifact Active and a failed delete that makes it Inactive
   * take turns.
   */
  async setArtifactStatus(p: StatusChange & { digest: string }): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const imageId = await this.lockImageByName(trx, p.repository, p.image);
      if (imageId === null) return false;
      const artifactId = await this.artifactId(trx, imageId, p.digest);
      if (artifactId === null) return false;
      let own = trx.updateTable('artifacts').set({ status: p.status }).where('id', '=', artifactId);
      if (p.from) own = own.where('status', '=', p.from);
      const changed = Number((await own.executeTakeFirst()).numUpdatedRows) > 0;
      let tags = trx.updateTable('tags').set({ status: p.status }).where('artifact_id', '=', artifactId);
      if (p.from) tags = tags.where('status', '=', p.from);
      await tags.execute();
      return changed;
    });
  }

  async setTagStatus(p: StatusChange & { tag: string }): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const imageId = await this.lockImageByName(trx, p.repository, p.image);
      if (imageId === null) return false;
      let qb = trx.updateTable('tags').set({ status: p.status }).where('image_id', '=', imageId).where('name', '=', p.tag);
      if (p.from) qb = qb.where('status', '=', p.from);
      return Number((await qb.executeTakeFirst()).numUpdatedRows) > 0;
    });
  }

  async recordManifestDelete(p: { repository: string; image: string; digest: string; at: string }): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const imageId = await this.lockImageByName(trx, p.repository, p.image);
      if (imageId === null) return false;
      const res = await trx.deleteFrom('artifacts').where('image_id', '=', imageId).where('digest', '=', p.digest).executeTakeFirst();
      await this.refreshImageCounts(trx, imageId);
      return Number(res.numDeletedRows) > 0;
    });
  }

  async removeTags(imageId: number, names: string[]): Promise<void> {
    if (names.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      if ((await this.lockImage(trx, { id: imageId })) === null) return;
      await trx.deleteFrom('tags').where('image_id', '=', imageId).where('name', 'in', names).execute();
      await this.refreshImageCounts(trx, imageId);
    });
  }

  async applyPulls(tallies: PullTally[]): Promise<void> {
    if (tallies.length === 0) return;
    // Images in name order, so two instances flushing at once lock them in the same order.
    const key = (t: PullTally) => `${t.repository}/${t.image}`;
    const ordered = [...tallies].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    await this.db.transaction().execute(async (trx) => {
      for (const t of ordered) {
        const image = await trx
          .selectFrom('images')
          .innerJoin('repositories', 'repositories.id', 'images.repository_id')
          .select('images.id')
          .where('repositories.name', '=', t.repository)
          .where('images.name', '=', t.image)
          .executeTakeFirst();
        if (!image) continue;
        await trx
          .updateTable('images')
          .set({
            pull_count: sql`pull_count + ${t.count}`,
            pulled_at: laterOf('pulled_at', t.lastAt),
            last_modified_at: laterOf('last_modified_at', t.lastAt),
          })
          .where('id', '=', image.id)
          .execute();
        for (const [digest, a] of t.artifacts) {
          await trx
            .updateTable('artifacts')
            .set({ pull_count: sql`pull_count + ${a.count}`, pulled_at: laterOf('pulled_at', a.lastAt) })
            .where('image_id', '=', image.id)
            .where('digest', '=', digest)
            .execute();
        }
        for (const [name, a] of t.tags) {
          await trx
            .updateTable('tags')
            .set({ pull_count: sql`pull_count + ${a.count}`, pulled_at: laterOf('pulled_at', a.lastAt) })
            .where('image_id', '=', image.id)
            .where('name', '=', name)
            .execute();
        }
      }
    });
  }

  async audit(entry: AuditEntry & { at: string }): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
      })
      .execute();
  }
}

type ImageRow = Selectable<ImagesTable> & { repository: string };
type ArtifactRow = Selectable<ArtifactsTable>;
