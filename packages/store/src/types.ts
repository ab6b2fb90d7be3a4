import type { DeletionPolicy, Page, Permission, Platform, PullRestriction, Role, ScanSettings, SeverityCounts, Status } from '@berth/api';

export type { DeletionPolicy, Permission, PullRestriction, Role, ScanSettings, SeverityCounts, Status };

export interface ListQuery<S extends string> {
  limit: number;
  cursor?: string | undefined;
  sort: S;
  order: 'asc' | 'desc';
  q?: string | undefined;
}

/** Raised when a unique name is already taken. */
export class ConflictError extends Error {}
/** Raised for a cursor that this store did not issue. */
export class CursorError extends Error {}

// ── settings ───────────────────────────────────────────────────────────────

/** Instance-wide values by key (the secret key, the last runs of registry jobs). */
export interface SettingsStore {
  get(key: string): Promise<string | null>;
  /** Sets a value only if none is set yet; returns the value in force. */
  init(key: string, value: string): Promise<string>;
  /** Sets a value, replacing any. */
  put(key: string, value: string): Promise<void>;
}

// ── accounts and sessions ──────────────────────────────────────────────────

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

/** Console accounts and their sessions. */
export interface AccountsStore {
  count(): Promise<number>;
  create(a: { username: string; passwordHash: string; role: Role; at: string }): Promise<AccountRecord>;
  get(username: string): Promise<AccountRecord | null>;
  list(): Promise<AccountRecord[]>;

  createSession(s: { idHash: string; accountId: number; csrfToken: string; at: string; expiresAt: string }): Promise<void>;
  getSession(idHash: string, now: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
}

// ── repositories ───────────────────────────────────────────────────────────

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

export interface RepositoriesStore {
  create(r: { name: string; description: string; at: string; actor: string }): Promise<RepositoryRecord>;
  get(name: string): Promise<RepositoryRecord | null>;
  /** Just the id of a repository (the /v2 hot path needs no image count); null if none. */
  id(name: string): Promise<number | null>;
  list(q: ListQuery<'name'>): Promise<Page<RepositoryRecord>>;
  /** How many repositories there are. */
  count(): Promise<number>;
  update(name: string, r: { description: string; at: string; actor: string }): Promise<RepositoryRecord | null>;
  delete(name: string): Promise<boolean>;
}

// ── repository users ───────────────────────────────────────────────────────

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
  /** The hash of its current secret key (never shown): a rotation changes it. */
  secretHash: string;
}

/** A repository user to create: its secret is given as a hash only. */
export interface NewRepositoryUser {
  repositoryId: number;
  name: string;
  permission: Permission;
  secretHash: string;
  expiresAt: string | null;
  at: string;
  actor: string;
}

/** What an update of a repository user may change; unset fields stay. */
export interface RepositoryUserPatch {
  disabled?: boolean;
  expiresAt?: string | null;
  permission?: Permission;
  secretHash?: string;
}

export interface RepositoryUsersStore {
  create(u: NewRepositoryUser): Promise<RepositoryUserRecord>;
  list(repositoryId: number): Promise<RepositoryUserRecord[]>;
  get(repositoryId: number, name: string): Promise<RepositoryUserRecord | null>;
  findBySecret(secretHash: string): Promise<RepositoryUserRecord | null>;
  getById(id: number): Promise<RepositoryUserRecord | null>;
  update(id: number, patch: RepositoryUserPatch): Promise<RepositoryUserRecord | null>;
  delete(id: number): Promise<boolean>;
  /** Moves each user's last use forward to the time given (never back). */
  touch(lastUsed: Map<number, string>): Promise<void>;
}

// ── images, artifacts, tags ────────────────────────────────────────────────

export interface ImageRecord {
  id: number;
  repositoryId: number;
  repository: string;
  name: string;
  description: string;
  status: Status;
  locked: boolean;
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
  /** Those of `tags` that are locked. */
  lockedTags: string[];
  /** The artifact this one refers to (a signature's or SBOM's subject), or null. */
  subject: string | null;
  children: ChildRecord[];
}

export interface TagRecord {
  name: string;
  digest: string;
  status: Status;
  locked: boolean;
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
  /** The digest the manifest's `subject` names, or null. */
  subject: string | null;
  /** The tag the manifest was pushed under, or null for a push by digest. */
  tag: string | null;
  at: string;
  actor: string;
  /** What the referrers API lists of it; unset, what the store holds already stays. */
  descriptor?: ManifestDescriptor;
}

/** What the referrers API lists of a manifest besides its digest, media type and artifact type. */
export interface ManifestDescriptor {
  /** Bytes of the manifest itself. */
  manifestSize: number;
  /** The config's media type of an image manifest; null for an index. */
  configMediaType: string | null;
  /** The manifest's own annotations, or null for none. */
  annotations: Record<string, string> | null;
}

/** An artifact whose `subject` is a given digest, as the referrers API reads it. */
export interface ReferrerRecord {
  digest: string;
  mediaType: string;
  /** The artifact type Berth recorded (the manifest's own, or a non-image config's media type). */
  artifactType: string | null;
  /** Null for an artifact recorded before Berth kept descriptors: read it from the registry. */
  descriptor: ManifestDescriptor | null;
}

/** Where a status change applies, and from which status only (unset: from any). */
export interface StatusChange {
  repository: string;
  image: string;
  status: Status;
  /** Change only rows whose status is this one now (e.g. `Deleting` → `Inactive`). */
  from?: Status;
}

/** Images with their artifacts and tags, as pushes, deletes and status changes leave them. */
export interface ImagesStore {
  list(repositoryId: number, q: ListQuery<'name' | 'artifactCount' | 'pullCount' | 'lastModifiedAt'>): Promise<Page<ImageRecord>>;
  /** Image names of every repository in `repositoryIds` (all when null), after `last`, for `_catalog`. */
  catalog(repositoryIds: number[] | null, n: number, last: string | undefined): Promise<string[]>;
  get(repositoryId: number, name: string): Promise<ImageRecord | null>;
  update(id: number, patch: { description: string; at: string; actor: string }): Promise<ImageRecord | null>;
  listArtifacts(imageId: number, q: ListQuery<'pushedAt' | 'pulledAt' | 'pullCount' | 'size'>): Promise<Page<ArtifactRecord>>;
  getArtifact(imageId: number, digest: string): Promise<ArtifactRecord | null>;
  listTags(imageId: number, q: ListQuery<'name' | 'pushedAt' | 'pulledAt' | 'pullCount'>): Promise<Page<TagRecord>>;
  /** Every tag name → digest of an image (reconciliation). */
  tagMap(imageId: number): Promise<Map<string, string>>;
  /** Digests of the image's top-level artifacts that have no tag (reconciliation), in digest order. */
  untaggedDigests(imageId: number): Promise<string[]>;
  /**
   * Tag names of an image in byte order, after `last` (exclusive) when given, at most
   * `limit` of them (all when null): the registry API's `tags/list`.
   */
  tagNames(imageId: number, limit: number | null, last?: string): Promise<string[]>;
  /** The image's artifacts whose `subject` is `digest`, in digest order: the registry API's referrers. */
  referrers(imageId: number, digest: string): Promise<ReferrerRecord[]>;
  /** Records the descriptor of an artifact indexed before Berth kept them; false when the artifact is not known. */
  setDescriptor(imageId: number, digest: string, descriptor: ManifestDescriptor): Promise<boolean>;

  /** Indexes a pushed manifest (or one reconciliation found pushed); the artifact and the tag pushed are `Active`. */
  recordPush(p: ManifestPush): Promise<void>;
  /**
   * Sets the status of the artifact `digest` and of the tags on it (those in `from`, when
   * given); returns false when the artifact is not known (or not in `from`).
   */
  setArtifactStatus(p: StatusChange & { digest: string }): Promise<boolean>;
  /** Sets the status of one tag (when in `from`, if given); false when there is no such tag. */
  setTagStatus(p: StatusChange & { tag: string }): Promise<boolean>;
  /** Removes an artifact and its tags; returns false when it was not known. */
  recordDelete(p: { repository: string; image: string; digest: string; at: string }): Promise<boolean>;
  removeTags(imageId: number, names: string[]): Promise<void>;
  /** One tag, or null. */
  getTag(imageId: number, name: string): Promise<TagRecord | null>;
  /** Sets the image's own status (when it is `from` now, if given); false when it is not (or there is no such image). */
  setStatus(imageId: number, status: Status, from?: Status): Promise<boolean>;
  /**
   * What of the image is mid-operation now, as keys: `artifact:<digest>` and `tag:<name>`
   * for those `Deleting`, `image` when the image itself is `Editing` or `Deleting`.
   */
  inProgress(imageId: number): Promise<string[]>;
  /**
   * Settles statuses a stopped delete or edit left behind, for content the registry still
   * holds — only those named by `keys` (as {@link inProgress} names them) that are still
   * mid-operation: artifacts and tags `Deleting` become `Inactive` (only delete may be
   * retried), an image `Editing` becomes `Active`, one `Deleting` becomes `Inactive`.
   * Returns how many rows changed.
   */
  settleStatuses(imageId: number, keys: readonly string[]): Promise<number>;
  /** Removes an image that has no artifact left; false when it still has some (or is not there). */
  delete(imageId: number): Promise<boolean>;
  /**
   * The image's artifacts as the lifecycle rules read them: own size, first push, last pull,
   * tags with their locks, children, subject. With `digests`, only those artifacts, their
   * children, and every artifact that lists or refers to any of them (enough to decide a
   * delete of `digests`); without, all of them (a policy evaluation).
   */
  graph(imageId: number, digests?: string[]): Promise<GraphArtifact[]>;
}

/** One artifact of an image and its links, as {@link ImagesStore.graph} gives it. */
export interface GraphArtifact {
  digest: string;
  /** Bytes of its own content: for an index, its manifest only (its children are artifacts of their own). */
  size: number;
  pushedAt: string;
  pulledAt: string | null;
  tags: { name: string; locked: boolean }[];
  children: string[];
  subject: string | null;
}

// ── locks ──────────────────────────────────────────────────────────────────

/** An image's locks: its own, and its locked tags with the digest each points at. */
export interface LockRecord {
  imageId: number;
  imageLocked: boolean;
  lockedTags: Map<string, string>;
}

/**
 * Image and tag locks. Read on every /v2 manifest PUT and DELETE (one indexed query), so a
 * lock set through any instance holds on all of them at once.
 */
export interface LocksStore {
  state(imageId: number): Promise<LockRecord>;
  /** The locks of `repository/image`, or null when Berth does not know the image. */
  stateByName(repository: string, image: string): Promise<LockRecord | null>;
  setImage(imageId: number, locked: boolean, at: string, actor: string): Promise<boolean>;
  /** Locks or unlocks one tag; false when the image has no such tag. */
  setTag(imageId: number, tag: string, locked: boolean): Promise<boolean>;
}

// ── deletion policies ──────────────────────────────────────────────────────

/** An image that has a deletion policy of its own or inherits one. */
export interface PolicyHolder {
  imageId: number;
  repository: string;
  image: string;
  imagePolicy: DeletionPolicy | null;
  repositoryPolicy: DeletionPolicy | null;
}

/** Deletion policies: an image's own, and a repository's default that its images inherit. */
export interface PoliciesStore {
  getImage(imageId: number): Promise<DeletionPolicy | null>;
  /** Sets the image's own policy; null drops it (the repository default applies). */
  putImage(imageId: number, policy: DeletionPolicy | null): Promise<void>;
  getRepository(repositoryId: number): Promise<DeletionPolicy | null>;
  putRepository(repositoryId: number, policy: DeletionPolicy | null): Promise<void>;
  /** Every image with a policy of its own or in a repository with a default, by name. */
  holders(): Promise<PolicyHolder[]>;
}

// ── pulls ──────────────────────────────────────────────────────────────────

/** Pulls of one image gathered since the last flush. */
export interface PullTally {
  repository: string;
  image: string;
  count: number;
  lastAt: string;
  artifacts: Map<string, { count: number; lastAt: string }>;
  tags: Map<string, { count: number; lastAt: string }>;
}

/** Pull counts and pull times of images, artifacts and tags, written in batches. */
export interface PullsStore {
  /** Adds the tallies' counts, and moves pull times forward (never back). */
  apply(tallies: PullTally[]): Promise<void>;
}

// ── jobs ───────────────────────────────────────────────────────────────────

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

/** How a leased job ended: done, or failed and retried at `retryAt` (null: never again). */
export type JobOutcome = { status: 'done' } | { status: 'failed'; error: string; retryAt: string | null };

/** The job queue: rows leased by workers, so several Berth instances share one queue. */
export interface JobsStore {
  /** Queues a job; null when an unfinished job already has its dedupe key. */
  enqueue(job: NewJob, now: string): Promise<JobRecord | null>;
  /** Leases the next due job of `kinds` (or one whose lease ran out) to `owner` until `until`. */
  lease(owner: string, now: string, until: string, kinds?: string[]): Promise<JobRecord | null>;
  /** Extends a lease the owner still holds; false when it was lost. */
  renew(id: number, owner: string, until: string, now: string): Promise<boolean>;
  /** Ends a job the owner holds: done, retried at `retryAt`, or failed for good. */
  finish(id: number, owner: string, outcome: JobOutcome, now: string): Promise<boolean>;
  get(id: number): Promise<JobRecord | null>;
  /** Queue depth and lag (age of the oldest due job), for metrics. */
  stats(now: string): Promise<JobStats>;
}

// ── audit ──────────────────────────────────────────────────────────────────

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/** The audit log: every mutation, who made it, when, before and after. */
export interface AuditStore {
  record(entry: AuditEntry & { at: string }): Promise<void>;
}

// ── scans ──────────────────────────────────────────────────────────────────

/** Where an artifact's scan stands; `none` is never stored (no row). */
export type StoredScanStatus = 'queued' | 'scanning' | 'done' | 'failed' | 'unsupported';

/** One platform image of a scanned artifact (an index has several). */
export interface ScannedPlatform {
  digest: string;
  platform: string | null;
  os: string | null;
  packages: number;
}

/** An artifact's latest scan, with its counts as the image's exclusions see them. */
export interface ScanRecord {
  artifactId: number;
  imageId: number;
  digest: string;
  status: StoredScanStatus;
  requestedAt: string;
  startedAt: string | null;
  scannedAt: string | null;
  progress: number;
  error: string | null;
  dbVersion: string | null;
  dbUpdatedAt: string | null;
  counts: SeverityCounts;
  fixable: { critical: number; high: number };
  packages: number;
  secrets: number;
  platforms: ScannedPlatform[];
}

/** What a finished scan counts (after exclusions). */
export interface ScanCounts {
  counts: SeverityCounts;
  fixable: { critical: number; high: number };
  secrets: number;
}

/** How a scan job ended. */
export type ScanOutcome =
  | ({ status: 'done'; at: string; report: string; packages: number; platforms: ScannedPlatform[]; dbVersion: string; dbUpdatedAt: string | null } & ScanCounts)
  | { status: 'failed' | 'unsupported'; at: string; error: string };

/** What the /v2 pull check needs about one manifest reference, read at once. */
export interface PullState {
  imageRestriction: PullRestriction | null;
  repositoryRestriction: PullRestriction | null;
  /** The artifact the reference names, or null when Berth has not indexed it. */
  artifact: { digest: string; scan: (Pick<ScanRecord, 'status' | 'error' | 'counts' | 'fixable'> & { hasResults: boolean }) | null } | null;
}

/** Scan settings and pull restrictions (JSON on the image and repository rows), and each artifact's latest scan. */
export interface ScansStore {
  imageSettings(imageId: number): Promise<{ scan: ScanSettings | null; pull: PullRestriction | null }>;
  repositorySettings(repositoryId: number): Promise<{ scan: ScanSettings | null; pull: PullRestriction | null }>;
  /** Sets the image's own scan settings; null drops them (the repository default applies). */
  putImageScanSettings(imageId: number, settings: ScanSettings | null): Promise<void>;
  putImagePullRestriction(imageId: number, restriction: PullRestriction | null): Promise<void>;
  putRepositoryScanSettings(repositoryId: number, settings: ScanSettings | null): Promise<void>;
  putRepositoryPullRestriction(repositoryId: number, restriction: PullRestriction | null): Promise<void>;
  /** Marks artifacts of the image queued, except those queued or scanning already; the digests newly queued. */
  request(imageId: number, digests: string[], at: string): Promise<string[]>;
  /** Moves a queued (or retried) scan to scanning; false when the artifact or its scan row is gone. */
  start(imageId: number, digest: string, at: string): Promise<boolean>;
  progress(imageId: number, digest: string, percent: number): Promise<void>;
  /** Ends a scan: done with its report and counts, or failed / unsupported with why. */
  finish(imageId: number, digest: string, outcome: ScanOutcome): Promise<void>;
  /** Rewrites a done scan's counts (the image's exclusions changed). */
  recount(imageId: number, digest: string, counts: ScanCounts): Promise<void>;
  get(imageId: number, digest: string): Promise<ScanRecord | null>;
  /** The latest scans of `digests` (one query), by digest. */
  byDigests(imageId: number, digests: string[]): Promise<Map<string, ScanRecord>>;
  /** Names of the repository's images without scan settings of their own that have a done scan (they recount when the default changes). */
  imagesInheritingScanSettings(repositoryId: number): Promise<string[]>;
  /** Every done scan of the image, for a recount. */
  doneInImage(imageId: number): Promise<ScanRecord[]>;
  report(imageId: number, digest: string): Promise<string | null>;
  /** The pull check's read: the reference's artifact and scan, and both restrictions, in one query. */
  pullState(repository: string, image: string, reference: { tag: string } | { digest: string }): Promise<PullState | null>;
  /** Done scans of artifacts pulled since `since` and matched against another database than `dbVersion`. */
  staleSince(since: string, dbVersion: string, limit: number): Promise<{ repository: string; image: string; imageId: number; digest: string }[]>;
}

// ── the store ──────────────────────────────────────────────────────────────

/** Everything the store holds, as one aggregate per area. */
// ── registries ─────────────────────────────────────────────────────────────

/** A registry as stored. `secret` is sealed by the server: the store never sees it in clear. */
export interface RegistryRecord {
  id: number;
  name: string;
  kind: 'managed' | 'external';
  type: 'managed' | 'dockerhub' | 'registry';
  url: string;
  engine: 'embedded' | 'upstream' | null;
  mode: 'read-write' | 'pull-only';
  repository: string | null;
  username: string | null;
  secret: string | null;
  insecure: boolean;
  /** The last connection test, as JSON; null: never tested. */
  lastTest: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export type NewRegistry = Omit<RegistryRecord, 'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'lastTest'> & {
  lastTest?: string | null;
  at: string;
  actor: string;
};

export type RegistryChange = Partial<Pick<RegistryRecord, 'url' | 'engine' | 'mode' | 'repository' | 'username' | 'secret' | 'insecure' | 'lastTest'>>;

export interface RegistriesStore {
  /** Writes the managed registry's row (created once, its URL and engine kept up to date at each start). */
  putManaged(r: { name: string; url: string; engine: 'embedded' | 'upstream'; at: string }): Promise<RegistryRecord>;
  /** Adds an external registry; ConflictError when the name is taken. */
  create(r: NewRegistry): Promise<RegistryRecord>;
  get(name: string): Promise<RegistryRecord | null>;
  /** The managed registry first, then the others by name; `q` matches the name or URL. */
  list(q: { limit: number; cursor?: string | undefined; q?: string | undefined }): Promise<Page<RegistryRecord>>;
  /** Changes a registry; `updatedAt`/`updatedBy` are set only when `actor` is given (a recorded test is not an edit). */
  update(name: string, change: RegistryChange, stamp?: { at: string; actor: string }): Promise<RegistryRecord | null>;
  delete(name: string): Promise<boolean>;
}

export interface StoreScope {
  registries: RegistriesStore;
  settings: SettingsStore;
  accounts: AccountsStore;
  repositories: RepositoriesStore;
  repositoryUsers: RepositoryUsersStore;
  images: ImagesStore;
  pulls: PullsStore;
  jobs: JobsStore;
  audit: AuditStore;
  locks: LocksStore;
  policies: PoliciesStore;
  scans: ScansStore;
}

/**
 * Berth's metadata store. Every adapter (SQLite, PostgreSQL) implements this
 * interface and passes the one set of store test suites.
 */
export interface Store extends StoreScope {
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs fn in one database transaction: every aggregate of `tx` writes in it; commits when
   * fn resolves, rolls back when it throws. Methods that take a transaction of their own
   * (a push, a status change, a pull flush) join this one instead.
   *
   * Inside fn use `tx` only, never the store itself: SQLite has one connection, and a call
   * on the store waits for the transaction to end, which waits for fn — a deadlock; on
   * PostgreSQL such a call runs outside the transaction (and may wait on its row locks).
   * A method that fails inside fn may have written part of its change: let the error out
   * of fn so that all of it rolls back (on PostgreSQL a failed statement, such as a
   * ConflictError's insert, aborts the transaction anyway).
   */
  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T>;
}
