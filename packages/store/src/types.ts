import type { Page, Platform, Status } from '@berth/api';

export type { Status };

export type Role = 'admin' | 'viewer';
export type Permission = 'pull' | 'push';

export interface AccountRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export interface SessionRecord {
  accountId: number;
  username: string;
  role: Role;
  disabled: boolean;
  csrfToken: string;
  expiresAt: string;
}

export interface RepositoryRecord {
  id: number;
  name: string;
  description: string;
  imageCount: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface RepositoryUserRecord {
  id: number;
  repositoryId: number;
  repository: string;
  name: string;
  permission: Permission;
  disabled: boolean;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
}

export interface ImageRecord {
  id: number;
  repositoryId: number;
  repository: string;
  name: string;
  description: string;
  status: Status;
  artifactCount: number;
  tagCount: number;
  pullCount: number;
  pushedAt: string | null;
  pulledAt: string | null;
  lastModifiedAt: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ChildRecord {
  digest: string;
  mediaType: string;
  size: number;
  platform: Platform | null;
}

export interface ArtifactRecord {
  id: number;
  digest: string;
  mediaType: string;
  artifactType: string | null;
  size: number;
  platforms: Platform[];
  pushedAt: string;
  pulledAt: string | null;
  pullCount: number;
  status: Status;
  tags: string[];
  /** The status of each tag that is not Active, by name. */
  tagStatus: Record<string, Status>;
  children: ChildRecord[];
}

export interface TagRecord {
  name: string;
  digest: string;
  status: Status;
  pushedAt: string;
  pulledAt: string | null;
  pullCount: number;
}

/** What a successful manifest PUT (or a reconciliation import) tells the store. */
export interface ManifestPush {
  repository: string;
  image: string;
  digest: string;
  mediaType: string;
  artifactType: string | null;
  size: number;
  platforms: Platform[];
  children: ChildRecord[];
  /** The tag the manifest was pushed under, or null for a push by digest. */
  tag: string | null;
  at: string;
  actor: string;
}

/** Where a status change applies, and from which status only (unset: from any). */
export interface StatusChange {
  repository: string;
  image: string;
  status: Status;
  /** Change only rows whose status is this one now (e.g. `Deleting` → `Inactive`). */
  from?: Status;
}

/** Pulls of one image gathered since the last flush. */
export interface PullTally {
  repository: string;
  image: string;
  count: number;
  lastAt: string;
  artifacts: Map<string, { count: number; lastAt: string }>;
  tags: Map<string, { count: number; lastAt: string }>;
}

export interface ListQuery<S extends string> {
  limit: number;
  cursor?: string | undefined;
  sort: S;
  order: 'asc' | 'desc';
  q?: string | undefined;
}

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/** A job to queue. A dedupe key keeps one unfinished job per key. */
export interface NewJob {
  kind: string;
  payload?: unknown;
  runAt?: string;
  dedupeKey?: string;
  maxAttempts?: number;
  /** When a queued job already has the dedupe key, move it forward to this job's runAt. */
  advance?: boolean;
}

export interface JobRecord {
  id: number;
  kind: string;
  payload: unknown;
  status: 'queued' | 'running' | 'done' | 'failed';
  dedupeKey: string | null;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
}

export interface JobStats {
  queued: number;
  running: number;
  /** Age of the oldest due, unleased job. */
  lagSeconds: number;
}

/** Raised when a unique name is already taken. */
export class ConflictError extends Error {}
/** Raised for a cursor that this store did not issue. */
export class CursorError extends Error {}

/**
 * Berth's metadata store. Every adapter (SQLite, PostgreSQL) implements this
 * interface and passes the one store test suite.
 */
export interface Store {
  migrate(): Promise<void>;
  close(): Promise<void>;

  getSetting(key: string): Promise<string | null>;
  /** Sets a value only if none is set yet; returns the value in force. */
  initSetting(key: string, value: string): Promise<string>;
  /** Sets a value, replacing any. */
  putSetting(key: string, value: string): Promise<void>;

  countAccounts(): Promise<number>;
  createAccount(a: { username: string; passwordHash: string; role: Role; at: string }): Promise<AccountRecord>;
  getAccount(username: string): Promise<AccountRecord | null>;
  listAccounts(): Promise<AccountRecord[]>;

  createSession(s: { idHash: string; accountId: number; csrfToken: string; at: string; expiresAt: string }): Promise<void>;
  getSession(idHash: string, now: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;

  createRepository(r: { name: string; description: string; at: string; actor: string }): Promise<RepositoryRecord>;
  getRepository(name: string): Promise<RepositoryRecord | null>;
  /** Just the id of a repository (the /v2 hot path needs no image count); null if none. */
  repositoryId(name: string): Promise<number | null>;
  listRepositories(q: ListQuery<'name'>): Promise<Page<RepositoryRecord>>;
  updateRepository(name: string, r: { description: string; at: string; actor: string }): Promise<RepositoryRecord | null>;
  deleteRepository(name: string): Promise<boolean>;

  createRepositoryUser(u: {
    repositoryId: number;
    name: string;
    permission: Permission;
    secretHash: string;
    expiresAt: string | null;
    at: string;
    actor: string;
  }): Promise<RepositoryUserRecord>;
  listRepositoryUsers(repositoryId: number): Promise<RepositoryUserRecord[]>;
  getRepositoryUser(repositoryId: number, name: string): Promise<RepositoryUserRecord | null>;
  findRepositoryUserBySecret(secretHash: string): Promise<RepositoryUserRecord | null>;
  getRepositoryUserById(id: number): Promise<RepositoryUserRecord | null>;
  updateRepositoryUser(
    id: number,
    patch: { disabled?: boolean; expiresAt?: string | null; permission?: Permission; secretHash?: string },
  ): Promise<RepositoryUserRecord | null>;
  deleteRepositoryUser(id: number): Promise<boolean>;
  touchRepositoryUsers(lastUsed: Map<number, string>): Promise<void>;

  listImages(
    repositoryId: number,
    q: ListQuery<'name' | 'artifactCount' | 'pullCount' | 'lastModifiedAt'>,
  ): Promise<Page<ImageRecord>>;
  /** Image names of every repository in `repositoryIds` (all when null), after `last`, for `_catalog`. */
  catalog(repositoryIds: number[] | null, n: number, last: string | undefined): Promise<string[]>;
  getImage(repositoryId: number, name: string): Promise<ImageRecord | null>;
  updateImage(id: number, patch: { description: string; at: string; actor: string }): Promise<ImageRecord | null>;
  listArtifacts(imageId: number, q: ListQuery<'pushedAt' | 'pulledAt' | 'pullCount' | 'size'>): Promise<Page<ArtifactRecord>>;
  getArtifact(imageId: number, digest: string): Promise<ArtifactRecord | null>;
  listTags(imageId: number, q: ListQuery<'name' | 'pushedAt' | 'pulledAt' | 'pullCount'>): Promise<Page<TagRecord>>;
  /** Every tag name → digest of an image (reconciliation). */
  tagMap(imageId: number): Promise<Map<string, string>>;
  /** Digests of the image's top-level artifacts that have no tag (reconciliation), in digest order. */
  untaggedDigests(imageId: number): Promise<string[]>;

  /** Indexes a pushed manifest (or one reconciliation found pushed); the artifact and the tag pushed are `Active`. */
  recordManifestPush(p: ManifestPush): Promise<void>;
  /**
   * Sets the status of the artifact `digest` and of the tags on it (those in `from`, when
   * given); returns false when the artifact is not known (or not in `from`).
   */
  setArtifactStatus(p: StatusChange & { digest: string }): Promise<boolean>;
  /** Sets the status of one tag (when in `from`, if given); false when there is no such tag. */
  setTagStatus(p: StatusChange & { tag: string }): Promise<boolean>;
  /** Removes an artifact and its tags; returns false when it was not known. */
  recordManifestDelete(p: { repository: string; image: string; digest: string; at: string }): Promise<boolean>;
  removeTags(imageId: number, names: string[]): Promise<void>;
  applyPulls(tallies: PullTally[]): Promise<void>;

  audit(entry: AuditEntry & { at: string }): Promise<void>;

  /** Queues a job; null when an unfinished job already has its dedupe key. */
  enqueueJob(job: NewJob, now: string): Promise<JobRecord | null>;
  /** Leases the next due job of `kinds` (or one whose lease ran out) to `owner` until `until`. */
  leaseJob(owner: string, now: string, until: string, kinds?: string[]): Promise<JobRecord | null>;
  renewJobLease(id: number, owner: string, until: string, now: string): Promise<boolean>;
  finishJob(
    id: number,
    owner: string,
    outcome: { status: 'done' } | { status: 'failed'; error: string; retryAt: string | null },
    now: string,
  ): Promise<boolean>;
  getJob(id: number): Promise<JobRecord | null>;
  jobStats(now: string): Promise<JobStats>;
}
