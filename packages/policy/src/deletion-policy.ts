/**
 * Deletion-policy evaluation: which artifacts of one image a policy run deletes, which
 * it keeps, and why. A real run and the policy test (a dry run) use this same function.
 *
 * Rules, in the order they are applied:
 * 1. The unit deleted is an artifact (a digest) with all its tags. `enabled` is not read
 *    here: the caller decides whether a run happens.
 * 2. Only top-level artifacts are deleted by a rule. Top-level: not a child of an index in
 *    the input, and not a referrer (signature, SBOM, attestation) whose subject is in the
 *    input. Delete reasons: `untagged` (the policy deletes untagged artifacts and it has
 *    no tag), then `older-than` (now − first push > N × 24 h; exactly N days old stays).
 * 3. Keep reasons win over delete reasons; the first that applies is reported:
 *    `image-locked`, `tag-locked` (detail: the tag), `keep-pattern` (detail: the pattern),
 *    `pulled-recently` (now − last pull ≤ N × 24 h), `newest` (among the newest K top-level
 *    artifacts by first push, ties by digest; detail: "rank of K"). Locks, patterns and
 *    recent pulls keep any artifact; `newest` ranks top-level artifacts only.
 * 4. A kept artifact keeps what it refers to, transitively: an index its children, a
 *    referrer its subject (`referenced-by`, detail: the index or referrer). A referrer of a
 *    kept artifact is kept (`referrer-of-kept`, detail: the subject), so untagged
 *    signatures stay as long as their image does.
 * 5. Children of a deleted index and referrers of a deleted subject go with it
 *    (`child-of-deleted`, `subject-deleted`; detail: the index or subject) unless rule 3
 *    or 4 keeps them. A tagged child or referrer is also judged on its own: it goes only
 *    if its own age would delete it (being tagged, the untagged rule never applies to it).
 * 6. Anything else is kept: `no-rule-matched`.
 *
 * Output: one verdict per tag, or one without a tag for an untagged artifact. A kept
 * artifact's tag that is not itself the reason reads `shares-digest` (detail: the tag
 * that keeps the digest); reasons about the digest (image lock, pulls, rank, references)
 * are given on every tag. Both lists are sorted by first push, then digest, then tag.
 * `bytes` adds each deleted digest's own size once. No clock, no I/O: `now` comes in.
 * Each digest appears once in the input (the store's key for an image's artifacts).
 */
import { compileTagPatterns } from './glob.ts';
import { artifactGraph, compare, isTopLevel, type ArtifactNode, type PolicyArtifact } from './references.ts';

/** A per-image deletion policy (or a repository's default for its images). */
export interface DeletionPolicy {
  /** Whether scheduled runs happen; the evaluation itself ignores it. */
  enabled: boolean;
  /** Delete untagged top-level artifacts. */
  untagged: boolean;
  /** Delete artifacts older than this many days since first push (1…3650), or null. */
  olderThanDays: number | null;
  /** Always keep the newest K top-level artifacts by first push (1…10000), or null. */
  keepNewest: number | null;
  /** Always keep artifacts pulled in the last N days (1…3650), or null. */
  keepPulledWithinDays: number | null;
  /** Globs (`*`, `?`): an artifact carrying a matching tag is kept. */
  keepTagPatterns: string[];
}

/** What one evaluation reads: the image's artifacts, its lock and its policy, at `now`. */
export interface PolicyInput {
  now: string | Date;
  policy: DeletionPolicy;
  imageLocked: boolean;
  artifacts: PolicyArtifact[];
}

/** Why an artifact (or one of its tags) is deleted. */
export type DeleteReason = 'untagged' | 'older-than' | 'child-of-deleted' | 'subject-deleted';
/** Why an artifact (or one of its tags) is kept. */
export type KeepReason =
  | 'image-locked'
  | 'tag-locked'
  | 'keep-pattern'
  | 'pulled-recently'
  | 'newest'
  | 'referenced-by'
  | 'referrer-of-kept'
  | 'shares-digest'
  | 'no-rule-matched';
/** Every reason a policy verdict can carry. */
export type ReasonCode = DeleteReason | KeepReason;

const DELETE_REASONS: ReadonlySet<ReasonCode> = new Set<DeleteReason>(['untagged', 'older-than', 'child-of-deleted', 'subject-deleted']);

/** Whether a reason deletes (as opposed to keeps). */
export function isDeleteReason(reason: ReasonCode): reason is DeleteReason {
  return DELETE_REASONS.has(reason);
}

/** One line of a policy result: an artifact, or one of its tags, and why it goes or stays. */
export interface PolicyVerdict {
  digest: string;
  /** The tag this line is about; absent for an untagged artifact. */
  tag?: string;
  reason: ReasonCode;
  /** The referrer, index or subject digest, the tag that keeps the digest, the matching pattern, or the rank ("1 of 3"). */
  detail?: string;
}

/** What a run deletes and keeps, and the bytes the deleted artifacts' own content takes. */
export interface PolicyResult {
  delete: PolicyVerdict[];
  keep: PolicyVerdict[];
  bytes: number;
}

/** The rules above in plain English, for the console to show beside a policy. */
export const POLICY_RULES: string[] = [
  'A policy deletes whole artifacts (digests) with all their tags.',
  'Untagged artifacts are deleted when the policy deletes untagged artifacts.',
  'Artifacts first pushed more than N days ago are deleted when the policy sets an age; exactly N days old is kept.',
  'Nothing is deleted while the image is locked, and no artifact carrying a locked tag is deleted.',
  'An artifact carrying a tag that matches a keep pattern is kept.',
  'Artifacts pulled in the last N days are kept when the policy says so.',
  'The newest K artifacts by first push are kept when the policy says so.',
  'A kept index keeps its platform images, a kept signature or SBOM keeps its image, and a kept image keeps its signatures and SBOMs.',
  'Platform images of a deleted index and signatures or SBOMs of a deleted image are deleted with it, unless something above keeps them; a tagged one goes only if it is old enough to go on its own.',
];

const DAY_MS = 86_400_000;

interface Reasoned {
  reason: ReasonCode;
  detail?: string;
  /** For `tag-locked` and `keep-pattern`: the tag that keeps the digest. */
  tag?: string;
}

type Tag = PolicyArtifact['tags'][number];
// Reasons without a detail are shared: a run allocates only what carries a digest, tag or rank.
const IMAGE_LOCKED: Reasoned = { reason: 'image-locked' };
const PULLED_RECENTLY: Reasoned = { reason: 'pulled-recently' };
const NO_RULE_MATCHED: Reasoned = { reason: 'no-rule-matched' };
const UNTAGGED: Reasoned = { reason: 'untagged' };
const OLDER_THAN: Reasoned = { reason: 'older-than' };

/** Evaluates `policy` over one image's artifacts at `now`. Throws a RangeError on an invalid policy or date. */
export function evaluateDeletionPolicy(input: PolicyInput): PolicyResult {
  const { policy, imageLocked } = input;
  const problems = validateDeletionPolicy(policy);
  if (problems.length > 0) throw new RangeError(`invalid deletion policy: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  const now = toMs(input.now, 'now');
  const matchPattern = compileTagPatterns(policy.keepTagPatterns);
  const olderThanMs = policy.olderThanDays === null ? null : policy.olderThanDays * DAY_MS;
  const pulledWithinMs = policy.keepPulledWithinDays === null ? null : policy.keepPulledWithinDays * DAY_MS;

  const nodes = artifactGraph(input.artifacts);
  const pushed = new Float64Array(nodes.length);
  for (const n of nodes) pushed[n.seq] = toMs(n.artifact.pushedAt, `pushedAt of ${n.digest}`);
  const order = byFirstPush(nodes, pushed);
  const newest = newestRanks(order, pushed, policy.keepNewest);
  const tags = nodes.map(({ artifact: { tags: t } }) => (t.length < 2 ? t : [...t].sort((x, y) => compare(x.name, y.name))));

  const ownKeep = (n: ArtifactNode): Reasoned | null => {
    if (imageLocked) return IMAGE_LOCKED;
    const own = tags[n.seq]!;
    for (const t of own) if (t.locked) return { reason: 'tag-locked', detail: t.name, tag: t.name };
    for (const t of own) {
      const pattern = matchPattern(t.name);
      if (pattern !== null) return { reason: 'keep-pattern', detail: pattern, tag: t.name };
    }
    const pulledAt = n.artifact.pulledAt;
    if (pulledWithinMs !== null && pulledAt !== null && now - toMs(pulledAt, `pulledAt of ${n.digest}`) <= pulledWithinMs) return PULLED_RECENTLY;
    const rank = newest[n.seq]!;
    return rank === 0 ? null : { reason: 'newest', detail: `${rank} of ${policy.keepNewest}` };
  };
  const ownDelete = (n: ArtifactNode, topLevel: boolean): Reasoned | null => {
    if (policy.untagged && topLevel && n.artifact.tags.length === 0) return UNTAGGED;
    if (olderThanMs !== null && now - pushed[n.seq]! > olderThanMs) return OLDER_THAN;
    return null;
  };

  // Keep: explicit reasons first, then what no rule deletes; each spreads along references.
  const kept: (Reasoned | undefined)[] = new Array<Reasoned | undefined>(nodes.length).fill(undefined);
  const explicit: ArtifactNode[] = [];
  const unmatched: ArtifactNode[] = [];
  const ruled: ArtifactNode[] = [];
  const ruledBy: Reasoned[] = [];
  for (const n of order) {
    const own = ownKeep(n);
    if (own) {
      kept[n.seq] = own;
      explicit.push(n);
      continue;
    }
    const topLevel = isTopLevel(n);
    const reason = ownDelete(n, topLevel);
    if (reason !== null && topLevel) {
      ruled.push(n);
      ruledBy.push(reason);
    } else if (reason === null && (topLevel || n.artifact.tags.length > 0)) unmatched.push(n);
    // else: an untagged child or referrer, or an old tagged one: it follows what refers to it.
  }
  spreadKeep(explicit, kept);
  for (const n of unmatched) {
    if (kept[n.seq]) continue;
    kept[n.seq] = NO_RULE_MATCHED;
    spreadKeep([n], kept);
  }

  // Delete: what a rule deletes and nothing keeps, and what follows it.
  const gone: (Reasoned | undefined)[] = new Array<Reasoned | undefined>(nodes.length).fill(undefined);
  const queue: ArtifactNode[] = [];
  ruled.forEach((n, i) => {
    if (kept[n.seq]) return;
    gone[n.seq] = ruledBy[i];
    queue.push(n);
  });
  const follow = (n: ArtifactNode, from: ArtifactNode, reason: DeleteReason) => {
    if (kept[n.seq] || gone[n.seq]) return;
    gone[n.seq] = { reason, detail: from.digest };
    queue.push(n);
  };
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i]!;
    for (const c of n.children) follow(c, n, 'child-of-deleted');
    for (const r of n.referrers) follow(r, n, 'subject-deleted');
  }

  const result: PolicyResult = { delete: [], keep: [], bytes: 0 };
  for (const n of order) {
    const deleted = gone[n.seq];
    if (deleted) result.bytes += n.artifact.size;
    // Only a reference cycle (impossible with content-addressed digests) is neither kept nor deleted.
    const verdict = deleted ?? kept[n.seq] ?? NO_RULE_MATCHED;
    const lines = deleted ? result.delete : result.keep;
    const own = tags[n.seq]!;
    if (own.length === 0) lines.push(line(n.digest, undefined, verdict));
    for (const t of own) lines.push(line(n.digest, t.name, deleted ? verdict : tagVerdict(t, verdict, matchPattern)));
  }
  return result;
}

/** Keeps what the kept artifacts in `queue` refer to, and their referrers, transitively. */
function spreadKeep(queue: ArtifactNode[], kept: (Reasoned | undefined)[]): void {
  const reach = (n: ArtifactNode, from: ArtifactNode, reason: KeepReason) => {
    if (kept[n.seq]) return;
    kept[n.seq] = { reason, detail: from.digest };
    queue.push(n);
  };
  for (let i = 0; i < queue.length; i++) {
    const n = queue[i]!;
    for (const c of n.children) reach(c, n, 'referenced-by');
    if (n.subject !== null) reach(n.subject, n, 'referenced-by');
    for (const r of n.referrers) reach(r, n, 'referrer-of-kept');
  }
}

/** Why one tag of a kept artifact is kept: its own lock or pattern, else it shares the digest. */
function tagVerdict(tag: Tag, digest: Reasoned, matchPattern: (tag: string) => string | null): Reasoned {
  if (digest.tag === undefined || digest.tag === tag.name) return digest;
  if (tag.locked) return { reason: 'tag-locked', detail: tag.name };
  const pattern = matchPattern(tag.name);
  if (pattern !== null) return { reason: 'keep-pattern', detail: pattern };
  return { reason: 'shares-digest', detail: digest.tag };
}

function line(digest: string, tag: string | undefined, v: Reasoned): PolicyVerdict {
  const out: PolicyVerdict = { digest, reason: v.reason };
  if (tag !== undefined) out.tag = tag;
  if (v.detail !== undefined) out.detail = v.detail;
  return out;
}

/** The artifacts by first push, then digest: the order of every output list. */
function byFirstPush(nodes: readonly ArtifactNode[], pushed: Float64Array): ArtifactNode[] {
  return [...nodes].sort((x, y) => pushed[x.seq]! - pushed[y.seq]! || compare(x.digest, y.digest));
}

/** Rank (1 = newest, 0 = not among them) by `seq` of the newest `k` top-level artifacts: first push descending, ties by digest ascending. */
function newestRanks(order: readonly ArtifactNode[], pushed: Float64Array, k: number | null): Uint32Array {
  const ranks = new Uint32Array(order.length);
  let ranked = 0;
  // `order` is ascending by push then digest: walk runs of equal push times from the end, each run forward.
  for (let end = order.length - 1; k !== null && end >= 0 && ranked < k; ) {
    let start = end;
    while (start > 0 && pushed[order[start - 1]!.seq] === pushed[order[end]!.seq]) start--;
    for (let i = start; i <= end && ranked < k; i++) if (isTopLevel(order[i]!)) ranks[order[i]!.seq] = ++ranked;
    end = start - 1;
  }
  return ranks;
}

function toMs(value: string | Date, what: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not a valid date: ${String(value)}`);
  return ms;
}

/** One problem with a policy's settings, named by its form field (`keepTagPatterns.2` for a pattern). */
export interface PolicyFieldError {
  field: string;
  message: string;
}

/** The bounds `validateDeletionPolicy` checks, for forms to show. */
export const POLICY_LIMITS = {
  olderThanDays: { min: 1, max: 3650 },
  keepNewest: { min: 1, max: 10_000 },
  keepPulledWithinDays: { min: 1, max: 3650 },
  keepTagPatterns: { max: 20, maxLength: 128 },
} as const;

const PATTERN_CHARS = /^[A-Za-z0-9_.*?-]+$/;

/** Checks a policy's numbers and patterns; [] when it is valid. The console and the service show these messages as they are. */
export function validateDeletionPolicy(p: DeletionPolicy): PolicyFieldError[] {
  const errors: PolicyFieldError[] = [];
  const range = (field: 'olderThanDays' | 'keepNewest' | 'keepPulledWithinDays', what: string) => {
    const v = p[field];
    const { min, max } = POLICY_LIMITS[field];
    if (v !== null && !(Number.isInteger(v) && v >= min && v <= max)) errors.push({ field, message: `${what} must be a whole number from ${min} to ${max}.` });
  };
  range('olderThanDays', 'Days since first push');
  range('keepNewest', 'Newest artifacts to keep');
  range('keepPulledWithinDays', 'Days since last pull');
  const { max, maxLength } = POLICY_LIMITS.keepTagPatterns;
  if (p.keepTagPatterns.length > max) errors.push({ field: 'keepTagPatterns', message: `At most ${max} tag patterns.` });
  p.keepTagPatterns.forEach((pattern, i) => {
    if (pattern.length > maxLength || !PATTERN_CHARS.test(pattern)) {
      errors.push({ field: `keepTagPatterns.${i}`, message: `A tag pattern is 1 to ${maxLength} characters: letters, digits, _ . - and the wildcards * and ?.` });
    }
  });
  return errors;
}

/** Where an image's effective policy comes from. */
export type PolicySource = 'image' | 'repository' | 'none';

/** A policy that deletes nothing: what an image without one, in a repository without a default, runs. */
export function disabledPolicy(): DeletionPolicy {
  return { enabled: false, untagged: false, olderThanDays: null, keepNewest: null, keepPulledWithinDays: null, keepTagPatterns: [] };
}

/**
 * The policy an image runs: its own when it has one (even a disabled one, which is how an
 * image opts out of its repository's default), else the repository default, else a disabled
 * empty policy.
 */
export function effectivePolicy(image: DeletionPolicy | null, repositoryDefault: DeletionPolicy | null): { policy: DeletionPolicy; source: PolicySource } {
  if (image) return { policy: image, source: 'image' };
  if (repositoryDefault) return { policy: repositoryDefault, source: 'repository' };
  return { policy: disabledPolicy(), source: 'none' };
}
