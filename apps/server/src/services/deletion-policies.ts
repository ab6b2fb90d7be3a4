import { createHash } from 'node:crypto';
import type {
  DeletionPolicy,
  ImageDeletionPolicy,
  PolicyRunResponse,
  PolicyTestResponse,
  PutImageDeletionPolicy,
  RepositoryDeletionPolicy,
} from '@berth/api';
import { effectivePolicy, evaluateDeletionPolicy, type PolicyResult } from '@berth/policy';
import type { NewJob, Store } from '@berth/store';
import type { Logger } from 'pino';
import { ApiError } from '../errors.ts';
import { nowIso } from './clock.ts';
import type { DeleteService, ImageRef } from './deletes.ts';
import { actorName, type Identity } from './identity.ts';
import type { ImageService } from './images.ts';
import type { RepositoryService } from './repositories.ts';

/** Who scheduled runs are, in the audit log and the registry page's last collection. */
export const POLICY_ACTOR: Identity = { kind: 'account', accountId: 0, username: 'deletion-policy', role: 'admin' };

/** The job that runs every enabled deletion policy once a day. */
export const POLICY_JOB = 'deletion-policy.daily';

/**
 * Names a list of deletes: the same digests and tags in the same order give the same name.
 * The policy evaluation lists them in one canonical order (first push, digest, tag), so a
 * test and a run that would delete the same set name it alike; nothing needs sorting here.
 */
export function deleteSetOf(verdicts: readonly { digest: string; tag?: string }[]): string {
  const hash = createHash('sha256');
  // One update per 1,000 lines: 77,000 separate updates cost more than the hashing.
  let chunk = '';
  verdicts.forEach((v, i) => {
    chunk += `${v.digest} ${v.tag ?? ''}\n`;
    if (i % 1000 === 999) {
      hash.update(chunk);
      chunk = '';
    }
  });
  return hash.update(chunk).digest('hex').slice(0, 32);
}

/** The next `HH:MM` UTC strictly after `now`. */
export function nextDailyRun(now: Date, runsAt: string): Date {
  const [h, m] = runsAt.split(':').map(Number) as [number, number];
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** The daily job, queued once for its day whichever instance queues it (the dedupe key is the day). */
export function dailyPolicyJob(now: Date, runsAt: string): NewJob {
  return jobFor(nextDailyRun(now, runsAt));
}

/** The run after the one of `job`'s day: the next day's, or (days were missed) the next one from `now`. */
export function followingPolicyJob(job: { dedupeKey: string | null }, runsAt: string, now: Date): NewJob {
  const day = /(\d{4}-\d{2}-\d{2})$/.exec(job.dedupeKey ?? '')?.[1];
  const after = day ? new Date(`${day}T23:59:59.999Z`) : now;
  return jobFor(nextDailyRun(after.getTime() > now.getTime() ? after : now, runsAt));
}

function jobFor(at: Date): NewJob {
  return { kind: POLICY_JOB, runAt: at.toISOString(), dedupeKey: `${POLICY_JOB}:${at.toISOString().slice(0, 10)}`, maxAttempts: 3 };
}

/**
 * Deletion policies: an image's own, or its repository's default that images inherit; the
 * policy test (a dry run) and the run share one evaluation, so a run deletes exactly what
 * the test listed a moment before (unless the image changed in between: the run evaluates
 * again at its own moment and deletes what that evaluation lists).
 */
export class DeletionPolicyService {
  constructor(
    private readonly store: Store,
    private readonly repositories: RepositoryService,
    private readonly images: ImageService,
    private readonly deletes: DeleteService,
    private readonly log: Logger,
    readonly runsAt: string,
    /** Called after a run deleted something (e.g. collect the embedded registry's garbage). */
    private readonly afterDeletes: () => Promise<void> = async () => undefined,
  ) {}

  async getRepositoryDefault(repository: string): Promise<RepositoryDeletionPolicy> {
    const repo = await this.repositories.require(repository);
    const stored = await this.store.policies.getRepository(repo.id);
    return { policy: stored ?? effectivePolicy(null, null).policy, configured: stored !== null, runsAt: this.runsAt };
  }

  async putRepositoryDefault(who: Identity, repository: string, policy: DeletionPolicy): Promise<RepositoryDeletionPolicy> {
    const repo = await this.repositories.require(repository);
    const at = nowIso();
    await this.store.transaction(async (tx) => {
      const before = await tx.policies.getRepository(repo.id);
      await tx.policies.putRepository(repo.id, policy);
      await tx.audit.record({ at, actor: actorName(who), action: 'repository.deletion-policy', target: repository, before, after: policy });
    });
    return this.getRepositoryDefault(repository);
  }

  async get(repository: string, image: string): Promise<ImageDeletionPolicy> {
    const ref = await this.images.ref(repository, image);
    const [own, repositoryDefault] = await Promise.all([
      this.store.policies.getImage(ref.record.id),
      this.store.policies.getRepository(ref.record.repositoryId),
    ]);
    const { policy, source } = effectivePolicy(own, repositoryDefault);
    return { policy, source, repositoryDefault, runsAt: this.runsAt };
  }

  /** Sets the image's own policy, or (`{inherit: true}`) drops it so the repository default applies. */
  async put(who: Identity, repository: string, image: string, req: PutImageDeletionPolicy): Promise<ImageDeletionPolicy> {
    const ref = await this.images.ref(repository, image);
    const policy = 'inherit' in req ? null : req;
    const at = nowIso();
    await this.store.transaction(async (tx) => {
      const before = await tx.policies.getImage(ref.record.id);
      await tx.policies.putImage(ref.record.id, policy);
      await tx.audit.record({ at, actor: actorName(who), action: 'image.deletion-policy', target: `${repository}/${image}`, before, after: policy ?? { inherit: true } });
    });
    return this.get(repository, image);
  }

  /** The evaluation a run would do now. */
  private async evaluate(ref: ImageRef, now: Date): Promise<{ result: PolicyResult; policy: DeletionPolicy; source: ImageDeletionPolicy['source'] }> {
    const [own, repositoryDefault, artifacts, locks] = await Promise.all([
      this.store.policies.getImage(ref.record.id),
      this.store.policies.getRepository(ref.record.repositoryId),
      this.store.images.graph(ref.record.id),
      this.store.locks.state(ref.record.id),
    ]);
    const { policy, source } = effectivePolicy(own, repositoryDefault);
    const result = evaluateDeletionPolicy({ now, policy, imageLocked: locks.imageLocked, artifacts });
    return { result, policy, source };
  }

  /** The policy test: what a run would delete and keep now, and why, with the bytes it would free. Deletes nothing. */
  async test(repository: string, image: string, now = new Date()): Promise<PolicyTestResponse> {
    const ref = await this.images.ref(repository, image);
    const { result, policy, source } = await this.evaluate(ref, now);
    return { ...result, policy, source, evaluatedAt: now.toISOString(), deleteSet: deleteSetOf(result.delete) };
  }

  /** "Run now" from the console or API: refused while the policy is disabled. */
  runNow(who: Identity, repository: string, image: string, expect?: string): Promise<PolicyRunResponse> {
    return this.run(actorName(who), repository, image, { requireEnabled: true, ...(expect !== undefined ? { expect } : {}) });
  }

  /** Runs the image's policy now: the test's evaluation, then exactly its deletes. Audited with what went and the bytes freed. */
  async run(
    actor: string,
    repository: string,
    image: string,
    opts: { requireEnabled: boolean; collect?: boolean; expect?: string },
    now = new Date(),
  ): Promise<PolicyRunResponse> {
    const ref = await this.images.ref(repository, image);
    const { result, policy } = await this.evaluate(ref, now);
    if (opts.requireEnabled && !policy.enabled) throw new ApiError('POLICY_DISABLED', `the deletion policy of ${repository}/${image} is disabled; enable it first`);
    if (opts.expect !== undefined && opts.expect !== deleteSetOf(result.delete)) {
      throw new ApiError('POLICY_CHANGED', `what the deletion policy of ${repository}/${image} would delete changed since that test; nothing was deleted: test again`);
    }
    const goes = new Set(result.delete.map((v) => v.digest));
    const artifacts = (await this.store.images.graph(ref.record.id)).filter((a) => goes.has(a.digest));
    const ranAt = now.toISOString();
    const editing = artifacts.length > 0 && (await this.store.images.setStatus(ref.record.id, 'Editing', 'Active'));
    let outcome;
    try {
      outcome = await this.deletes.removeArtifacts({ actor, via: 'policy' }, ref, artifacts);
    } finally {
      if (editing) await this.store.images.setStatus(ref.record.id, 'Active', 'Editing');
    }
    const refused = new Map(outcome.results.filter((r) => r.outcome === 'refused').map((r) => [r.digest, r.message ?? 'refused']));
    const response: PolicyRunResponse = {
      deleted: result.delete.filter((v) => !refused.has(v.digest)),
      refused: result.delete.filter((v) => refused.has(v.digest)).map((v) => ({ ...v, message: refused.get(v.digest)! })),
      bytes: outcome.bytes,
      ranAt,
    };
    await this.store.audit.record({
      at: nowIso(),
      actor,
      action: 'deletion-policy.run',
      target: `${repository}/${image}`,
      after: { deleted: response.deleted, refused: response.refused, bytes: response.bytes },
    });
    if ((opts.collect ?? true) && response.deleted.length > 0) await this.collect();
    return response;
  }

  private async collect(): Promise<void> {
    await this.afterDeletes().catch((err: unknown) => this.log.warn({ err }, 'the collection after a deletion policy run failed'));
  }

  /** The daily job: every image whose policy (its own or inherited) is enabled, one after another; then one collection. */
  async runScheduled(now = new Date()): Promise<{ images: number; deleted: number; bytes: number }> {
    let images = 0;
    let deleted = 0;
    let bytes = 0;
    for (const s of await this.store.policies.holders()) {
      const { policy } = effectivePolicy(s.imagePolicy, s.repositoryPolicy);
      if (!policy.enabled) continue;
      try {
        const r = await this.run(actorName(POLICY_ACTOR), s.repository, s.image, { requireEnabled: true, collect: false }, now);
        images += 1;
        deleted += r.deleted.length;
        bytes += r.bytes;
      } catch (err) {
        this.log.warn({ err, image: `${s.repository}/${s.image}` }, 'a scheduled deletion policy run failed');
      }
    }
    if (deleted > 0) await this.collect();
    return { images, deleted, bytes };
  }
}
