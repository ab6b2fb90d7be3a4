import { sql, type SqlBool } from 'kysely';
import type { Page } from '@berth/api';
import { likePattern } from './paging.ts';
import { after, isUniqueViolation, pageOf, type Db } from './sql-helpers.ts';
import { ConflictError, type ListQuery, type RepositoriesStore, type RepositoryRecord } from './types.ts';

/** Repositories, each listed with the count of its images. */
export class KyselyRepositories implements RepositoriesStore {
  constructor(private readonly db: Db) {}

  private query() {
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

  async create(r: { name: string; description: string; at: string; actor: string }): Promise<RepositoryRecord> {
    try {
      await this.db
        .insertInto('repositories')
        .values({ name: r.name, description: r.description, created_at: r.at, created_by: r.actor, updated_at: r.at, updated_by: r.actor })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`repository ${r.name} already exists`);
      throw e;
    }
    return (await this.get(r.name))!;
  }

  async get(name: string): Promise<RepositoryRecord | null> {
    const r = await this.query().where('repositories.name', '=', name).executeTakeFirst();
    return r ? this.toRepository(r) : null;
  }

  async id(name: string): Promise<number | null> {
    const r = await this.db.selectFrom('repositories').select('id').where('name', '=', name).executeTakeFirst();
    return r ? r.id : null;
  }

  async list(q: ListQuery<'name'>): Promise<Page<RepositoryRecord>> {
    let qb = this.query();
    if (q.q) qb = qb.where(sql<SqlBool>`lower(repositories.name) like ${likePattern(q.q)} escape '\\'`);
    const expr = sql`${sql.ref('repositories.name')}`;
    if (q.cursor) qb = qb.where(after(expr, 'repositories.id', q.order, q.cursor, 'string'));
    const rows = await qb.orderBy('repositories.name', q.order).orderBy('repositories.id', q.order).limit(q.limit + 1).execute();
    const page = pageOf(rows.map((r) => this.toRepository(r)), q.limit, (r) => r.name);
    return page;
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('repositories').select((e) => e.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async update(name: string, r: { description: string; at: string; actor: string }) {
    await this.db
      .updateTable('repositories')
      .set({ description: r.description, updated_at: r.at, updated_by: r.actor })
      .where('name', '=', name)
      .execute();
    return this.get(name);
  }

  async delete(name: string): Promise<boolean> {
    const res = await this.db.deleteFrom('repositories').where('name', '=', name).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
