import { Migrator, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { KyselyAccounts } from './accounts.ts';
import { KyselyAudit } from './audit.ts';
import { KyselyImages } from './images.ts';
import { KyselyLocks } from './locks.ts';
import { KyselyPolicies } from './policies.ts';
import { KyselyScans } from './scans.ts';
import { JobQueue } from './jobs.ts';
import { BerthMigrations, type Dialect } from './migrations.ts';
import { KyselyPulls } from './pulls.ts';
import { KyselyRegistries } from './registries.ts';
import { KyselyRepositories } from './repositories.ts';
import { KyselyRepositoryUsers } from './repository-users.ts';
import { KyselySettings } from './settings.ts';
import type { Db } from './sql-helpers.ts';
import type {
  AccountsStore,
  AuditStore,
  ImagesStore,
  JobsStore,
  LocksStore,
  PoliciesStore,
  PullsStore,
  RegistriesStore,
  RepositoriesStore,
  RepositoryUsersStore,
  ScansStore,
  SettingsStore,
  Store,
  StoreScope,
} from './types.ts';

/** Every aggregate, querying through `db`: the store's database or one transaction on it. */
function scopeOn(db: Db, dialect: Dialect): StoreScope {
  return {
    settings: new KyselySettings(db),
    accounts: new KyselyAccounts(db),
    repositories: new KyselyRepositories(db),
    repositoryUsers: new KyselyRepositoryUsers(db),
    images: new KyselyImages(db, dialect),
    pulls: new KyselyPulls(db),
    jobs: new JobQueue(db, dialect),
    audit: new KyselyAudit(db),
    locks: new KyselyLocks(db),
    policies: new KyselyPolicies(db),
    scans: new KyselyScans(db),
    registries: new KyselyRegistries(db),
  };
}

/**
 * The Store on Kysely, composed of one aggregate per area; the dialect only changes DDL
 * spelling, connection set-up and row locks. SQLite runs one write transaction at a time;
 * PostgreSQL runs them side by side (read committed), so a transaction that rewrites an
 * image's counts first locks the image's row (`lockImage` in sql-helpers.ts), and
 * multi-row updates go in a fixed order.
 */
export class KyselyStore implements Store {
  readonly settings: SettingsStore;
  readonly accounts: AccountsStore;
  readonly repositories: RepositoriesStore;
  readonly repositoryUsers: RepositoryUsersStore;
  readonly images: ImagesStore;
  readonly pulls: PullsStore;
  readonly jobs: JobsStore;
  readonly audit: AuditStore;
  readonly locks: LocksStore;
  readonly policies: PoliciesStore;
  readonly scans: ScansStore;
  readonly registries: RegistriesStore;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {
    const scope = scopeOn(db, dialect);
    this.settings = scope.settings;
    this.accounts = scope.accounts;
    this.repositories = scope.repositories;
    this.repositoryUsers = scope.repositoryUsers;
    this.images = scope.images;
    this.pulls = scope.pulls;
    this.jobs = scope.jobs;
    this.audit = scope.audit;
    this.locks = scope.locks;
    this.policies = scope.policies;
    this.scans = scope.scans;
    this.registries = scope.registries;
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

  /**
   * A fresh set of aggregates on one Kysely transaction. On SQLite the transaction holds
   * the one connection (better-sqlite3 behind Kysely's connection mutex) until fn settles,
   * so calls on this store meanwhile wait for it: inside fn, use `tx` only.
   */
  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(scopeOn(trx, this.dialect)));
  }
}
