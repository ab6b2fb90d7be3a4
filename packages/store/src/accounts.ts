import type { Selectable } from 'kysely';
import type { AccountsTable } from './schema.ts';
import { isUniqueViolation, type Db } from './sql-helpers.ts';
import { ConflictError, type AccountRecord, type AccountsStore, type Role, type SessionRecord } from './types.ts';

/** Console accounts, and sessions stored by the hash of their id. */
export class KyselyAccounts implements AccountsStore {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    const row = await this.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async create(a: { username: string; passwordHash: string; role: Role; at: string }): Promise<AccountRecord> {
    try {
      await this.db
        .insertInto('accounts')
        .values({ username: a.username, password_hash: a.passwordHash, role: a.role, disabled: 0, created_at: a.at })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`account ${a.username} already exists`);
      throw e;
    }
    return (await this.get(a.username))!;
  }

  /** Every account, by username, in one query. */
  async list(): Promise<AccountRecord[]> {
    const rows = await this.db.selectFrom('accounts').selectAll().orderBy('username').execute();
    return rows.map(toAccount);
  }

  async get(username: string): Promise<AccountRecord | null> {
    const r = await this.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
    return r ? toAccount(r) : null;
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
}

function toAccount(r: Selectable<AccountsTable>): AccountRecord {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    role: r.role as Role,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
  };
}
