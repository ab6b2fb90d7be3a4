import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** An auto-increment primary key in the dialect's own spelling. */
function idType(dialect: Dialect) {
  return dialect === 'postgres' ? ('serial' as const) : ('integer' as const);
}

/**
 * A string column. SQLite never enforces a varchar length and compares strings byte by
 * byte; on PostgreSQL the same behaviour is `text collate "C"`. So both stores accept the
 * same values (lengths are checked at the API edge; some values, such as an artifact's
 * `artifactType`, come from pushed manifests) and sort names, tags and timestamps in the
 * same order whatever the database's default collation.
 */
function strType(dialect: Dialect, declared: `varchar(${number})` | 'text') {
  return dialect === 'postgres' ? sql`text collate "C"` : declared;
}

/** What a migration spells per dialect: the id column (its type and primary key) and string columns. */
function spellings(dialect: Dialect) {
  return {
    id: idType(dialect),
    primaryId: (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()),
    str: (declared: `varchar(${number})` | 'text') => strType(dialect, declared),
  };
}

function m001(dialect: Dialect): Migration {
  const { id, primaryId, str } = spellings(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', id, primaryId)
        .addColumn('username', str('varchar(128)'), (c) => c.notNull().unique())
        .addColumn('password_hash', str('varchar(255)'), (c) => c.notNull())
        .addColumn('role', str('varchar(16)'), (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', str('varchar(32)'), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', str('varchar(64)'), (c) => c.primaryKey())
        .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('csrf_token', str('varchar(64)'), (c) => c.notNull())
        .addColumn('created_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('expires_at', str('varchar(32)'), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('repositories')
        .addColumn('id', id, primaryId)
        .addColumn('name', str('varchar(64)'), (c) => c.notNull().unique())
        .addColumn('description', str('text'), (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('created_by', str('varchar(128)'), (c) => c.notNull())
        .addColumn('updated_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('updated_by', str('varchar(128)'), (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('repository_users')
        .addColumn('id', id, primaryId)
        .addColumn('repository_id', 'integer', (c) => c.notNull().references('repositories.id').onDelete('cascade'))
        .addColumn('name', str('varchar(64)'), (c) => c.notNull())
        .addColumn('permission', str('varchar(8)'), (c) => c.notNull())
        .addColumn('secret_hash', str('varchar(64)'), (c) => c.notNull().unique())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', str('varchar(32)'))
        .addColumn('created_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('created_by', str('varchar(128)'), (c) => c.notNull())
        .addColumn('last_used_at', str('varchar(32)'))
        .addUniqueConstraint('repository_users_repo_name', ['repository_id', 'name'])
        .execute();
      await db.schema
        .createTable('images')
        .addColumn('id', id, primaryId)
        .addColumn('repository_id', 'integer', (c) => c.notNull().references('repositories.id').onDelete('cascade'))
        .addColumn('name', str('varchar(255)'), (c) => c.notNull())
        .addColumn('description', str('text'), (c) => c.notNull().defaultTo(''))
        .addColumn('status', str('varchar(16)'), (c) => c.notNull().defaultTo('Active'))
        .addColumn('artifact_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('tag_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pull_count', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('pushed_at', str('varchar(32)'))
        .addColumn('pulled_at', str('varchar(32)'))
        .addColumn('last_modified_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('created_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('created_by', str('varchar(128)'), (c) => c.notNull())
        .addColumn('updated_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('updated_by', str('varchar(128)'), (c) => c.notNull())
        .addUniqueConstraint('images_repo_name', ['repository_id', 'name'])
        .execute();
      for (const col of ['artifact_count', 'pull_count', 'last_modified_at']) {
        await db.schema.createIndex(`images_repo_${col}`).on('images').columns(['repository_id', col, 'id']).execute();
      }
      await db.schema
        .createTable('artifacts')
        .addColumn('id', id, primaryId)
        .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id').onDelete('cascade'))
        .addColumn('digest', str('varchar(160)'), (c) => c.notNull())
        .addColumn('media_type', str('varchar(255)'), (c) => c.notNull())
        .addColumn('artifact_type', str('varchar(255)'))
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('platforms', str('text'), (c) => c.notNull().defaultTo('[]'))
        .addColumn('pushed_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('pulled_at', str('varchar(32)'))
        .addColumn('pull_count', 'bigint', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('artifacts_image_digest', ['image_id', 'digest'])
        .execute();
      await db.schema.createIndex('artifacts_image_pushed').on('artifacts').columns(['image_id', 'pushed_at', 'id']).execute();
      await db.schema
        .createTable('artifact_children')
        .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id').onDelete('cascade'))
        .addColumn('parent_id', 'integer', (c) => c.notNull().references('artifacts.id').onDelete('cascade'))
        .addColumn('child_digest', str('varchar(160)'), (c) => c.notNull())
        .addColumn('media_type', str('varchar(255)'), (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('platform', str('text'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('artifact_children_pk', ['parent_id', 'position'])
        .execute();
      await db.schema
        .createIndex('artifact_children_image_child')
        .on('artifact_children')
        .columns(['image_id', 'child_digest'])
        .execute();
      await db.schema
        .createTable('tags')
        .addColumn('id', id, primaryId)
        .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id').onDelete('cascade'))
        .addColumn('artifact_id', 'integer', (c) => c.notNull().references('artifacts.id').onDelete('cascade'))
        .addColumn('name', str('varchar(128)'), (c) => c.notNull())
        .addColumn('pushed_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('pulled_at', str('varchar(32)'))
        .addColumn('pull_count', 'bigint', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('tags_image_name', ['image_id', 'name'])
        .execute();
      await db.schema.createIndex('tags_artifact').on('tags').columns(['artifact_id']).execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', id, primaryId)
        .addColumn('at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('actor', str('varchar(128)'), (c) => c.notNull())
        .addColumn('action', str('varchar(64)'), (c) => c.notNull())
        .addColumn('target', str('varchar(512)'), (c) => c.notNull())
        .addColumn('before', str('text'))
        .addColumn('after', str('text'))
        .execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', str('varchar(64)'), (c) => c.primaryKey())
        .addColumn('value', str('text'), (c) => c.notNull())
        .execute();
    },
  };
}

/** The job queue: rows leased by workers of every instance. */
function m002(dialect: Dialect): Migration {
  const { id, primaryId, str } = spellings(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', id, primaryId)
        .addColumn('kind', str('varchar(64)'), (c) => c.notNull())
        .addColumn('payload', str('text'), (c) => c.notNull())
        .addColumn('status', str('varchar(16)'), (c) => c.notNull())
        .addColumn('dedupe_key', str('varchar(255)'))
        .addColumn('run_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
        .addColumn('lease_owner', str('varchar(128)'))
        .addColumn('lease_until', str('varchar(32)'))
        .addColumn('last_error', str('text'))
        .addColumn('created_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('updated_at', str('varchar(32)'), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at', 'id']).execute();
      // One unfinished job per dedupe key (a partial unique index, on both databases).
      await db.schema
        .createIndex('jobs_dedupe_unfinished')
        .on('jobs')
        .column('dedupe_key')
        .unique()
        .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
        .execute();
    },
  };
}

/**
 * Indexes for the sorts the console offers on an image's artifacts and tags, so a page of
 * a 10,000-tag image stops after its rows instead of sorting them all.
 */
const m003: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('artifacts_image_pull_count').on('artifacts').columns(['image_id', 'pull_count', 'id']).execute();
    await db.schema.createIndex('artifacts_image_size').on('artifacts').columns(['image_id', 'size', 'id']).execute();
    await db.schema.createIndex('tags_image_pushed').on('tags').columns(['image_id', 'pushed_at', 'id']).execute();
    await db.schema.createIndex('tags_image_pull_count').on('tags').columns(['image_id', 'pull_count', 'id']).execute();
  },
};

/**
 * The status of artifacts and tags (images have had one since 001): `Active` until a
 * delete through the front door marks them `Deleting`, then `Inactive` if the registry
 * refuses it. Rows that exist already are `Active`.
 */
function m004(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const table of ['artifacts', 'tags']) {
        await db.schema
          .alterTable(table)
          .addColumn('status', strType(dialect, 'text'), (c) => c.notNull().defaultTo('Active'))
          .execute();
      }
    },
  };
}

/**
 * The pulled-at sorts of a large image's artifacts and tags, which order by
 * `coalesce(pulled_at, '')` (never pulled first, ascending): without these they read and sort
 * every row of the image (p95 ≈ 45 ms on PostgreSQL at 10,000 tags, the other sorts ≈ 20).
 * A pull flush rewrites these entries as it does the pull-count ones.
 */
const m005: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index artifacts_image_pulled on artifacts (image_id, coalesce(pulled_at, ''), id)`.execute(db);
    await sql`create index tags_image_pulled on tags (image_id, coalesce(pulled_at, ''), id)`.execute(db);
  },
};

/**
 * Image lifecycle: image and tag locks, each artifact's `subject` (so a signature or SBOM
 * keeps its image from being deleted first, and the referrers of an artifact are one
 * indexed read), and deletion policies (an image's own, a repository's default), kept as
 * JSON beside what they belong to.
 */
function m006(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('images').addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('images').addColumn('deletion_policy', strType(dialect, 'text')).execute();
      await db.schema.alterTable('repositories').addColumn('deletion_policy', strType(dialect, 'text')).execute();
      await db.schema.alterTable('tags').addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('artifacts').addColumn('subject', strType(dialect, 'varchar(200)')).execute();
      await db.schema.createIndex('artifacts_image_subject').on('artifacts').columns(['image_id', 'subject']).execute();
    },
  };
}

/**
 * Scanning: each artifact's latest scan (status, counts as the image's exclusions see them,
 * the advisory database it was matched against) in a narrow row the /v2 pull check reads
 * by primary key; the full report (inventory, vulnerabilities, secrets) in a row of its
 * own; scan settings and pull restrictions as JSON beside what they belong to.
 */
function m007(dialect: Dialect): Migration {
  const text = strType(dialect, 'text');
  return {
    async up(db: Kysely<unknown>) {
      for (const table of ['images', 'repositories']) {
        await db.schema.alterTable(table).addColumn('scan_settings', text).execute();
        await db.schema.alterTable(table).addColumn('pull_restriction', text).execute();
      }
      let scans = db.schema
        .createTable('scans')
        .addColumn('artifact_id', 'integer', (c) => c.primaryKey().references('artifacts.id').onDelete('cascade'))
        .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id').onDelete('cascade'))
        .addColumn('status', strType(dialect, 'varchar(16)'), (c) => c.notNull())
        .addColumn('requested_at', strType(dialect, 'varchar(32)'), (c) => c.notNull())
        .addColumn('started_at', strType(dialect, 'varchar(32)'))
        .addColumn('scanned_at', strType(dialect, 'varchar(32)'))
        .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', text)
        .addColumn('db_version', strType(dialect, 'varchar(128)'))
        .addColumn('db_updated_at', strType(dialect, 'varchar(32)'))
        .addColumn('packages', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('secrets', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('platforms', text, (c) => c.notNull().defaultTo('[]'));
      for (const level of ['critical', 'high', 'medium', 'low', 'negligible', 'unknown', 'critical_fixable', 'high_fixable']) {
        scans = scans.addColumn(level, 'integer', (c) => c.notNull().defaultTo(0));
      }
      await scans.execute();
      await db.schema.createIndex('scans_image').on('scans').columns(['image_id', 'status']).execute();
      await db.schema
        .createTable('scan_reports')
        .addColumn('artifact_id', 'integer', (c) => c.primaryKey().references('artifacts.id').onDelete('cascade'))
        .addColumn('report', text, (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * Registries: the managed one (written at every start from the configuration) and the
 * external ones admins register. `sort_key` lists the managed one first, then the others
 * by name; `secret` holds the account's password or token sealed by the server (AES-GCM),
 * never in clear; `last_test` is the last connection test as JSON.
 */
function m008(dialect: Dialect): Migration {
  const { id, primaryId, str } = spellings(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('registries')
        .addColumn('id', id, primaryId)
        .addColumn('name', str('varchar(64)'), (c) => c.notNull().unique())
        .addColumn('sort_key', str('varchar(80)'), (c) => c.notNull())
        .addColumn('kind', str('varchar(16)'), (c) => c.notNull())
        .addColumn('type', str('varchar(16)'), (c) => c.notNull())
        .addColumn('url', str('varchar(2048)'), (c) => c.notNull())
        .addColumn('engine', str('varchar(16)'))
        .addColumn('mode', str('varchar(16)'), (c) => c.notNull())
        .addColumn('repository', str('varchar(255)'))
        .addColumn('username', str('varchar(255)'))
        .addColumn('secret', str('text'))
        .addColumn('insecure', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_test', str('text'))
        .addColumn('created_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('created_by', str('varchar(128)'), (c) => c.notNull())
        .addColumn('updated_at', str('varchar(32)'), (c) => c.notNull())
        .addColumn('updated_by', str('varchar(128)'), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('registries_sort').on('registries').columns(['sort_key', 'id']).execute();
    },
  };
}

/**
 * What the referrers API lists of a manifest with a subject, kept when it is pushed: its
 * own size in bytes (`size` counts its config and layers too), its config's media type
 * (an image manifest without `artifactType` is typed by it) and its annotations as JSON.
 * Rows that exist already have none of the three; the front door fills them from the
 * registry the first time it lists them.
 */
function m009(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('artifacts').addColumn('manifest_size', 'bigint').execute();
      await db.schema.alterTable('artifacts').addColumn('config_media_type', strType(dialect, 'varchar(255)')).execute();
      await db.schema.alterTable('artifacts').addColumn('annotations', strType(dialect, 'text')).execute();
    },
  };
}

/** Migrations in order; names sort lexically. */
export class BerthMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '001_initial': m001(this.dialect),
      '002_jobs': m002(this.dialect),
      '003_list_indexes': m003,
      '004_artifact_tag_status': m004(this.dialect),
      '005_pulled_at_indexes': m005,
      '006_lifecycle': m006(this.dialect),
      '007_scans': m007(this.dialect),
      '008_registries': m008(this.dialect),
      '009_referrer_descriptors': m009(this.dialect),
    };
  }
}
