import { sql, type SqlBool } from 'kysely';
import type { Page } from '@berth/api';
import { likePattern } from './paging.ts';
import type { RegistriesTable } from './schema.ts';
import { after, isUniqueViolation, pageOf, type Db } from './sql-helpers.ts';
import { ConflictError, type NewRegistry, type RegistriesStore, type RegistryChange, type RegistryRecord } from './types.ts';

type Row = Omit<RegistriesTable, 'id'> & { id: number };

function toRecord(r: Row): RegistryRecord {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as RegistryRecord['kind'],
    type: r.type as RegistryRecord['type'],
    url: r.url,
    engine: r.engine as RegistryRecord['engine'],
    mode: r.mode as RegistryRecord['mode'],
    repository: r.repository,
    username: r.username,
    secret: r.secret,
    insecure: r.insecure === 1,
    lastTest: r.last_test,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

const sortKey = (kind: RegistryRecord['kind'], name: string) => `${kind === 'managed' ? 0 : 1}${name}`;

/** The registries Berth knows, managed first. */
export class KyselyRegistries implements RegistriesStore {
  constructor(private readonly db: Db) {}

  async putManaged(r: { name: string; url: string; engine: 'embedded' | 'upstream'; at: string }): Promise<RegistryRecord> {
    await this.db
      .insertInto('registries')
      .values({
        name: r.name,
        sort_key: sortKey('managed', r.name),
        kind: 'managed',
        type: 'managed',
        url: r.url,
        engine: r.engine,
        mode: 'read-write',
        repository: null,
        username: null,
        secret: null,
        insecure: 0,
        last_test: null,
        created_at: r.at,
        created_by: 'system',
        updated_at: r.at,
        updated_by: 'system',
      })
      .onConflict((oc) => oc.column('name').doUpdateSet({ url: r.url, engine: r.engine }))
      .execute();
    return (await this.get(r.name))!;
  }

  async create(r: NewRegistry): Promise<RegistryRecord> {
    try {
      await this.db
        .insertInto('registries')
        .values({
          name: r.name,
          sort_key: sortKey(r.kind, r.name),
          kind: r.kind,
          type: r.type,
          url: r.url,
          engine: r.engine,
          mode: r.mode,
          repository: r.repository,
          username: r.username,
          secret: r.secret,
          insecure: r.insecure ? 1 : 0,
          last_test: r.lastTest ?? null,
          created_at: r.at,
          created_by: r.actor,
          updated_at: r.at,
          updated_by: r.actor,
        })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`registry ${r.name} already exists`);
      throw e;
    }
    return (await this.get(r.name))!;
  }

  async get(name: string): Promise<RegistryRecord | null> {
    const r = await this.db.selectFrom('registries').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toRecord(r) : null;
  }

  async list(q: { limit: number; cursor?: string | undefined; q?: string | undefined }): Promise<Page<RegistryRecord>> {
    let qb = this.db.selectFrom('registries').selectAll();
    if (q.q) {
      const pattern = likePattern(q.q);
      qb = qb.where(sql<SqlBool>`(lower(name) like ${pattern} escape '\\' or lower(url) like ${pattern} escape '\\')`);
    }
    if (q.cursor) qb = qb.where(after(sql`${sql.ref('sort_key')}`, 'id', 'asc', q.cursor, 'string'));
    const rows = await qb.orderBy('sort_key').orderBy('id').limit(q.limit + 1).execute();
    const page = pageOf(rows, q.limit, (r) => r.sort_key);
    return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
  }

  async update(name: string, change: RegistryChange, stamp?: { at: string; actor: string }): Promise<RegistryRecord | null> {
    const set: Partial<Omit<RegistriesTable, 'id'>> = {};
    if (change.url !== undefined) set.url = change.url;
    if (change.engine !== undefined) set.engine = change.engine;
    if (change.mode !== undefined) set.mode = change.mode;
    if (change.repository !== undefined) set.repository = change.repository;
    if (change.username !== undefined) set.username = change.username;
    if (change.secret !== undefined) set.secret = change.secret;
    if (change.insecure !== undefined) set.insecure = change.insecure ? 1 : 0;
    if (change.lastTest !== undefined) set.last_test = change.lastTest;
    if (stamp) {
      set.updated_at = stamp.at;
      set.updated_by = stamp.actor;
    }
    if (Object.keys(set).length > 0) await this.db.updateTable('registries').set(set).where('name', '=', name).execute();
    return this.get(name);
  }

  async delete(name: string): Promise<boolean> {
    const res = await this.db.deleteFrom('registries').where('name', '=', name).where('kind', '=', 'external').executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
