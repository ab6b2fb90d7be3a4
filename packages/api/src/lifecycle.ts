import { z } from 'zod';

/** A change to one tag: its lock. */
export const updateTagRequest = z.strictObject({ locked: z.boolean() });
export type UpdateTagRequest = z.infer<typeof updateTagRequest>;

/** Most tags one bulk delete takes. */
export const MAX_BULK_TAGS = 50;

export const deleteTagsRequest = z.strictObject({
  tags: z
    .array(z.string().min(1).max(128))
    .min(1, 'choose at least one tag')
    .max(MAX_BULK_TAGS, `at most ${MAX_BULK_TAGS} tags can be deleted at once; nothing was deleted`)
    .refine((t) => new Set(t).size === t.length, 'a tag is listed twice'),
});
export type DeleteTagsRequest = z.infer<typeof deleteTagsRequest>;

/**
 * What became of one thing a delete asked for: `deleted`; `absent` (it was not there);
 * `refused` (locked, referenced, or the registry refused it: `message` says which; a
 * registry refusal leaves it Inactive).
 */
export const deleteOutcome = z.enum(['deleted', 'absent', 'refused']);
export type DeleteOutcome = z.infer<typeof deleteOutcome>;

/** What the registry answered a delete it refused: its HTTP status and OCI error code. */
export const registryAnswer = z.object({ status: z.number().int(), code: z.string().optional() });

export const tagDeleteResult = z.object({
  tag: z.string(),
  outcome: deleteOutcome,
  /** Why it was refused (lock, reference, or what the registry said). */
  message: z.string().optional(),
  registry: registryAnswer.optional(),
});
export type TagDeleteResult = z.infer<typeof tagDeleteResult>;

export const deleteTagsResponse = z.object({ results: z.array(tagDeleteResult) });
export type DeleteTagsResponse = z.infer<typeof deleteTagsResponse>;

export const artifactDeleteResult = z.object({
  digest: z.string(),
  /** The tags that went with it. */
  tags: z.array(z.string()),
  outcome: deleteOutcome,
  message: z.string().optional(),
  registry: registryAnswer.optional(),
});
export type ArtifactDeleteResult = z.infer<typeof artifactDeleteResult>;

/** The outcome of deleting an artifact, or (for an image) each of its artifacts. */
export const deleteArtifactsResponse = z.object({
  results: z.array(artifactDeleteResult),
  /** Bytes of the artifacts deleted (shared layers counted once per artifact). */
  bytes: z.number().int(),
});
export type DeleteArtifactsResponse = z.infer<typeof deleteArtifactsResponse>;

/** Glob of a tag to keep: letters, digits, `_ . -`, and `*` / `?` wildcards. */
export const keepTagPattern = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.*?-]+$/, 'use letters, digits, _ . - and the wildcards * and ?');

/**
 * A deletion policy (an image's own, or its repository's default). Rules combine: an
 * artifact goes when a delete rule matches (untagged; older than N days since first push)
 * and no keep rule does (locked; referenced; newest K; pulled in the last N days; a tag
 * matching a keep pattern) — a keep rule always wins.
 */
export const deletionPolicy = z.strictObject({
  enabled: z.boolean(),
  untagged: z.boolean(),
  olderThanDays: z.number().int().min(1, 'between 1 and 3650 days').max(3650, 'between 1 and 3650 days').nullable().default(null),
  keepNewest: z.number().int().min(1, 'between 1 and 10000').max(10000, 'between 1 and 10000').nullable().default(null),
  keepPulledWithinDays: z.number().int().min(1, 'between 1 and 3650 days').max(3650, 'between 1 and 3650 days').nullable().default(null),
  keepTagPatterns: z.array(keepTagPattern).max(20, 'at most 20 patterns').default([]),
});
export type DeletionPolicy = z.infer<typeof deletionPolicy>;

/** An image's deletion policy as it applies: its own, or inherited from the repository, or none. */
export const imageDeletionPolicy = z.object({
  policy: deletionPolicy,
  source: z.enum(['image', 'repository', 'none']),
  /** The repository default the image inherits when it has no policy of its own. */
  repositoryDefault: deletionPolicy.nullable(),
  /** When scheduled runs happen each day, `HH:MM` UTC. */
  runsAt: z.string(),
});
export type ImageDeletionPolicy = z.infer<typeof imageDeletionPolicy>;

/** PUT an image's policy; `{inherit: true}` drops the image's own policy so the repository default applies. */
export const putImageDeletionPolicy = z.union([deletionPolicy, z.strictObject({ inherit: z.literal(true) })]);
export type PutImageDeletionPolicy = z.infer<typeof putImageDeletionPolicy>;

export const policyReason = z.enum([
  'untagged',
  'older-than',
  'child-of-deleted',
  'subject-deleted',
  'image-locked',
  'tag-locked',
  'keep-pattern',
  'pulled-recently',
  'newest',
  'referenced-by',
  'referrer-of-kept',
  'shares-digest',
  'no-rule-matched',
]);
export type PolicyReason = z.infer<typeof policyReason>;

export const policyVerdict = z.object({
  tag: z.string().optional(),
  digest: z.string(),
  reason: policyReason,
  /** The referrer, the kept tag, the matching pattern, the rank: what the reason is about. */
  detail: z.string().optional(),
});
export type PolicyVerdict = z.infer<typeof policyVerdict>;

/** A dry run: what a run of the image's policy would delete and keep now, and why. */
export const policyTestResponse = z.object({
  delete: z.array(policyVerdict),
  keep: z.array(policyVerdict),
  /** Bytes the deleted artifacts take (shared layers counted once per artifact). */
  bytes: z.number().int(),
  policy: deletionPolicy,
  source: z.enum(['image', 'repository', 'none']),
  evaluatedAt: z.string(),
  /**
   * Names the `delete` list (a hash of its digests and tags): send it to the run as
   * `expect`, and the run deletes exactly this list or nothing (409 POLICY_CHANGED).
   */
  deleteSet: z.string(),
});
export type PolicyTestResponse = z.infer<typeof policyTestResponse>;

/** Runs the policy now; with `expect` (a test's `deleteSet`) only if it would delete exactly what that test listed. */
export const policyRunRequest = z.strictObject({ expect: z.string().max(128).optional() });
export type PolicyRunRequest = z.infer<typeof policyRunRequest>;

/** A run: what it deleted (and what the registry refused), and the bytes it freed. */
export const policyRunResponse = z.object({
  deleted: z.array(policyVerdict),
  refused: z.array(policyVerdict.extend({ message: z.string() })),
  bytes: z.number().int(),
  ranAt: z.string(),
});
export type PolicyRunResponse = z.infer<typeof policyRunResponse>;

/** A repository's default deletion policy (disabled until set), which its images inherit. */
export const repositoryDeletionPolicy = z.object({
  policy: deletionPolicy,
  /** Whether the repository has set one (otherwise `policy` is the disabled default). */
  configured: z.boolean(),
  runsAt: z.string(),
});
export type RepositoryDeletionPolicy = z.infer<typeof repositoryDeletionPolicy>;
