import type { Generated } from 'kysely';

/** Table shapes as stored. Timestamps are ISO 8601 UTC strings with milliseconds. */
export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  repositories: RepositoriesTable;
  repository_users: RepositoryUsersTable;
  images: ImagesTable;
  artifacts: ArtifactsTable;
  artifact_children: ArtifactChildrenTable;
  tags: TagsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  jobs: JobsTable;
  scans: ScansTable;
  scan_reports: ScanReportsTable;
  registries: RegistriesTable;
}

/** A registry Berth knows: the managed one, or an external one an admin registered. */
export interface RegistriesTable {
  id: Generated<number>;
  name: string;
  /** `0` + name for the managed registry, `1` + name for the others: the list's order. */
  sort_key: string;
  kind: string;
  type: string;
  url: string;
  engine: string | null;
  mode: string;
  repository: string | null;
  username: string | null;
  /** The account's password or token, sealed by the server; null: none. */
  secret: string | null;
  insecure: number;
  last_test: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** An artifact's latest scan: what the pull check and the lists read. */
export interface ScansTable {
  artifact_id: number;
  image_id: number;
  status: string;
  requested_at: string;
  started_at: string | null;
  scanned_at: string | null;
  progress: Generated<number>;
  error: string | null;
  db_version: string | null;
  db_updated_at: string | null;
  packages: Generated<number>;
  secrets: Generated<number>;
  /** JSON array of {digest, platform, os, packages}. */
  platforms: Generated<string>;
  critical: Generated<number>;
  high: Generated<number>;
  medium: Generated<number>;
  low: Generated<number>;
  negligible: Generated<number>;
  unknown: Generated<number>;
  critical_fixable: Generated<number>;
  high_fixable: Generated<number>;
}

/** An artifact's full scan report (JSON): inventories, vulnerabilities, secrets. */
export interface ScanReportsTable {
  artifact_id: number;
  report: string;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON. */
  payload: string;
  status: string;
  dedupe_key: string | null;
  run_at: string;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccountsTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: string;
  disabled: number;
  created_at: string;
}

export interface SessionsTable {
  id_hash: string;
  account_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface RepositoriesTable {
  id: Generated<number>;
  name: string;
  description: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** The default deletion policy (JSON) of the repository's images, or null for none. */
  deletion_policy: string | null;
  /** The default scan settings (JSON) of the repository's images, or null for none. */
  scan_settings: string | null;
  /** The default pull restriction (JSON) of the repository's images, or null for none. */
  pull_restriction: string | null;
}

export interface RepositoryUsersTable {
  id: Generated<number>;
  repository_id: number;
  name: string;
  permission: string;
  secret_hash: string;
  disabled: number;
  expires_at: string | null;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
}

export interface ImagesTable {
  id: Generated<number>;
  repository_id: number;
  name: string;
  description: string;
  status: string;
  artifact_count: number;
  tag_count: number;
  pull_count: number;
  pushed_at: string | null;
  pulled_at: string | null;
  last_modified_at: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** 1: the image and all its tags can be neither deleted nor pushed to. */
  locked: Generated<number>;
  /** The image's own deletion policy (JSON), or null to inherit the repository default. */
  deletion_policy: string | null;
  /** The image's own scan settings (JSON), or null to inherit the repository default. */
  scan_settings: string | null;
  /** The image's own pull restriction (JSON), or null to inherit the repository default. */
  pull_restriction: string | null;
}

export interface ArtifactsTable {
  id: Generated<number>;
  image_id: number;
  digest: string;
  media_type: string;
  artifact_type: string | null;
  size: number;
  /** JSON array of platforms. */
  platforms: string;
  pushed_at: string;
  pulled_at: string | null;
  pull_count: number;
  /** `Active`, `Deleting` or `Inactive`; defaults to `Active`. */
  status: Generated<string>;
  /** Digest of the artifact this one refers to (a signature's or SBOM's `subject`), or null. */
  subject: string | null;
  /** Bytes of the manifest itself; null for rows recorded before Berth kept it. */
  manifest_size: number | null;
  /** The config's media type of an image manifest; null for an index (or a row from before). */
  config_media_type: string | null;
  /** The manifest's annotations (JSON object), or null for none. */
  annotations: string | null;
}

export interface ArtifactChildrenTable {
  image_id: number;
  parent_id: number;
  child_digest: string;
  media_type: string;
  size: number;
  /** JSON platform object, or null. */
  platform: string | null;
  position: number;
}

export interface TagsTable {
  id: Generated<number>;
  image_id: number;
  artifact_id: number;
  name: string;
  pushed_at: string;
  pulled_at: string | null;
  pull_count: number;
  /** `Active`, `Deleting` or `Inactive`; defaults to `Active`. */
  status: Generated<string>;
  /** 1: the tag can be neither deleted nor moved to another digest. */
  locked: Generated<number>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}
