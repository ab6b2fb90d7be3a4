import { inTransaction, isUniqueViolation, type Db } from './sql-helpers.ts';
import {
  ConflictError,
  type NewRepositoryUser,
  type Permission,
  type RepositoryUserPatch,
  type RepositoryUserRecord,
  type RepositoryUsersStore,
} from './types.ts';

/** Repository users: robot credentials found by the hash of their secret. */
export class KyselyRepositoryUsers implements RepositoryUsersStore {
  constructor(private readonly db: Db) {}

  private query() {
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
    secret_hash: string;
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
      secretHash: r.secret_hash,
    };
  }

  async create(u: NewRepositoryUser): Promise<RepositoryUserRecord> {
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
    return (await this.get(u.repositoryId, u.name))!;
  }

  async list(repositoryId: number): Promise<RepositoryUserRecord[]> {
    const rows = await this.query().where('repository_users.repository_id', '=', repositoryId).orderBy('repository_users.name').execute();
    return rows.map((r) => this.toUser(r));
  }

  async get(repositoryId: number, name: string) {
    const r = await this.query()
      .where('repository_users.repository_id', '=', repositoryId)
      .where('repository_users.name', '=', name)
      .executeTakeFirst();
    return r ? this.toUser(r) : null;
  }

  async findBySecret(secretHash: string) {
    const r = await this.query().where('repository_users.secret_hash', '=', secretHash).executeTakeFirst();
    return r ? this.toUser(r) : null;
  }

  async getById(id: number) {
    const r = await this.query().where('repository_users.id', '=', id).executeTakeFirst();
    return r ? this.toUser(r) : null;
  }

  async update(id: number, patch: RepositoryUserPatch) {
    const set: Partial<{ disabled: number; expires_at: string | null; permission: string; secret_hash: string }> = {};
    if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
    if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
    if (patch.permission !== undefined) set.permission = patch.permission;
    if (patch.secretHash !== undefined) set.secret_hash = patch.secretHash;
    if (Object.keys(set).length > 0) await this.db.updateTable('repository_users').set(set).where('id', '=', id).execute();
    return this.getById(id);
  }

  async delete(id: number): Promise<boolean> {
    const res = await this.db.deleteFrom('repository_users').where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async touch(lastUsed: Map<number, string>): Promise<void> {
    if (lastUsed.size === 0) return;
    // In id order, so two instances flushing at once lock rows in the same order.
    const entries = [...lastUsed].sort(([a], [b]) => a - b);
    await inTransaction(this.db, async (trx) => {
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
}
