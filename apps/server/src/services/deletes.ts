import type { ArtifactDeleteResult, DeleteArtifactsResponse, DeleteTagsResponse, TagDeleteResult } from '@berth/api';
import type { DeleteAnswer, RegistryClient } from '@berth/oci';
import { deleteBlockers, followers, lockVerdict, type LockRefusal, type PolicyArtifact } from '@berth/policy';
import type { ArtifactRecord, ImageRecord, LockRecord, Store } from '@berth/store';
import type { Logger } from 'pino';
import { ApiError } from '../errors.ts';
import { nowIso } from './clock.ts';

/** Who asked for a delete, as audit entries name them (a console account, a repository user, a policy run). */
export interface DeleteActor {
  actor: string;
  /** Where the request came from: the API (console, scripts), /v2 (docker, skopeo), or a policy run. */
  via: 'api' | 'v2' | 'policy';
}

/** One image, resolved once for a delete. */
export interface ImageRef {
  repository: string;
  image: string;
  record: ImageRecord;
}

/** Why a delete cannot go ahead, before anything was asked of the registry. */
export class DeleteRefused extends Error {
  constructor(
    readonly kind: 'locked' | 'referenced' | 'busy',
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

/**
 * Deletes tags, artifacts and whole images in the registry and keeps Berth's index in step
 * with what the registry did. The same rules hold whoever asks (the API, /v2, a policy run):
 * locks refuse; an artifact that a kept artifact references (an index's child, the subject
 * of a signature or SBOM) cannot go first, and the refusal names the referrer.
 *
 * What goes is `Deleting` (with the audit entry, in one transaction) while the registry
 * works; it leaves the index when the registry deleted it or does not have it; when the
 * registry refuses, or the connection fails once the request may have reached it, it is
 * `Inactive` (still there and pullable; only delete may be retried). When the registry
 * refused the connection itself (it is down: the request never reached it), nothing
 * changed, and it goes back to the status it had. A tag delete removes that tag only, on
 * every registry (see {@link RegistryClient.deleteTag}).
 */
export class DeleteService {
  constructor(
    private readonly store: Store,
    private readonly upstream: RegistryClient,
    private readonly log: Logger,
  ) {}

  private locksRefuse(locks: LockRecord, change: Parameters<typeof lockVerdict>[1], name: string): LockRefusal | null {
    return lockVerdict({ imageLocked: locks.imageLocked, lockedTags: new Set(locks.lockedTags.keys()) }, change, name);
  }

  /** Deletes one tag; refuses a locked one. The digest and its other tags stay. */
  async deleteTag(who: DeleteActor, ref: ImageRef, tag: string): Promise<TagDeleteResult> {
    const name = `${ref.repository}/${ref.image}`;
    const before = (await this.store.images.getTag(ref.record.id, tag))?.status ?? 'Active';
    if (before === 'Deleting') throw new DeleteRefused('busy', `tag ${tag} of ${name} is being deleted already`);
    const locks = await this.store.locks.state(ref.record.id);
    const refusal = this.locksRefuse(locks, { kind: 'delete-tag', tag }, name);
    if (refusal) throw new DeleteRefused('locked', refusal.message, { locked: refusal.locked, ...(refusal.tag ? { tag: refusal.tag } : {}) });
    const where = { repository: ref.repository, image: ref.image, tag };
    const at = nowIso();
    const known = await this.store.transaction(async (tx) => {
      if (!(await tx.images.setTagStatus({ ...where, status: 'Deleting' }))) return false;
      // Again under the image's row lock: a lock set a moment ago wins (this rolls back).
      const again = this.locksRefuse(await tx.locks.state(ref.record.id), { kind: 'delete-tag', tag }, name);
      if (again) throw new DeleteRefused('locked', again.message, { locked: again.locked, ...(again.tag ? { tag: again.tag } : {}) });
      await tx.audit.record({ at, actor: who.actor, action: 'tag.delete', target: `${name}:${tag}`, before: { via: who.via } });
      return true;
    });
    if (!known) return { tag, outcome: 'absent' };
    const answer = await this.ask(() => this.upstream.deleteTag(name, tag));
    if (answer === UNREACHED) {
      await this.settleRefusal(() => this.store.images.setTagStatus({ ...where, status: before, from: 'Deleting' }));
      return { tag, outcome: 'refused', message: UNREACHED.message, registry: { status: UNREACHED.status } };
    }
    if (answer.answer === 'refused') {
      await this.settleRefusal(() => this.store.images.setTagStatus({ ...where, status: 'Inactive', from: 'Deleting' }));
      return { tag, outcome: 'refused', message: refusedMessage(answer), registry: registryOf(answer) };
    }
    await this.store.images.removeTags(ref.record.id, [tag]);
    return { tag, outcome: answer.answer };
  }

  /** Deletes up to 50 tags, each on its own: a refused one does not stop the others. */
  async deleteTags(who: DeleteActor, ref: ImageRef, tags: string[]): Promise<DeleteTagsResponse> {
    const editing = await this.store.images.setStatus(ref.record.id, 'Editing', 'Active');
    const results: TagDeleteResult[] = [];
    try {
      for (const tag of tags) {
        try {
          results.push(await this.deleteTag(who, ref, tag));
        } catch (err) {
          if (!(err instanceof DeleteRefused)) throw err;
          results.push({ tag, outcome: 'refused', message: err.message });
        }
      }
    } finally {
      // Only this call's Editing: another operation's stays.
      if (editing) await this.store.images.setStatus(ref.record.id, 'Active', 'Editing');
    }
    return { results };
  }

  /**
   * Deletes one artifact with every tag on it; an index takes its untagged children with it
   * (those no other index lists). Refused when a tag on it is locked, or when an artifact
   * that stays references it.
   */
  async deleteArtifact(who: DeleteActor, ref: ImageRef, digest: string, opts: { followers: boolean } = { followers: true }): Promise<DeleteArtifactsResponse> {
    const name = `${ref.repository}/${ref.image}`;
    const graph = await this.store.images.graph(ref.record.id, [digest]);
    const target = graph.find((a) => a.digest === digest);
    if (!target) throw new ApiError('ARTIFACT_NOT_FOUND', `artifact ${digest} of ${name} does not exist`);
    if ((await this.store.images.getArtifact(ref.record.id, digest))?.status === 'Deleting') {
      throw new DeleteRefused('busy', `${digest} of ${name} is being deleted already`);
    }
    // An index takes its untagged children along; a signature or SBOM of what goes is not taken: it refuses below, named.
    const taken = opts.followers ? followers(digest, graph).filter((f) => f.kind === 'index-child') : [];
    const goes = [target, ...taken.map((f) => graph.find((a) => a.digest === f.digest)!)];
    const locks = await this.store.locks.state(ref.record.id);
    for (const a of goes) {
      const refusal = this.locksRefuse(locks, { kind: 'delete-artifact', digest: a.digest, tags: a.tags.map((t) => t.name) }, name);
      if (refusal) throw new DeleteRefused('locked', refusal.message, { locked: refusal.locked, ...(refusal.tag ? { tag: refusal.tag } : {}) });
    }
    const [blocker] = deleteBlockers(new Set(goes.map((a) => a.digest)), graph);
    if (blocker) {
      const what = blocker.kind === 'index-child' ? 'is listed by the index' : 'is the subject of';
      throw new DeleteRefused('referenced', `${blocker.digest} ${what} ${blocker.referrer}, which stays; delete that first`, {
        digest: blocker.digest,
        referrer: blocker.referrer,
        kind: blocker.kind,
      });
    }
    return this.removeArtifacts(who, ref, goes);
  }

  /** Deletes every artifact and tag of an image, then the image itself. Refused while it or one of its tags is locked. */
  async deleteImage(who: DeleteActor, ref: ImageRef): Promise<DeleteArtifactsResponse> {
    const name = `${ref.repository}/${ref.image}`;
    if (ref.record.status === 'Deleting') throw new DeleteRefused('busy', `image ${name} is being deleted already`);
    const locks = await this.store.locks.state(ref.record.id);
    if (locks.imageLocked) throw new DeleteRefused('locked', `image ${name} is locked`, { locked: 'image' });
    const [lockedTag] = [...locks.lockedTags.keys()].sort();
    if (lockedTag !== undefined) throw new DeleteRefused('locked', `tag ${lockedTag} of ${name} is locked`, { locked: 'tag', tag: lockedTag });
    if (!(await this.store.images.setStatus(ref.record.id, 'Deleting', ref.record.status))) {
      throw new DeleteRefused('busy', `image ${name} changed while the delete started; try again`);
    }
    let result: DeleteArtifactsResponse | null = null;
    let unreached = 0;
    try {
      ({ result, unreached } = await this.remove(who, ref, await this.store.images.graph(ref.record.id)));
      // Gone unless something was refused or a push added an artifact meanwhile.
      if (result.results.every((r) => r.outcome !== 'refused') && (await this.store.images.delete(ref.record.id))) return result;
      return result;
    } finally {
      const refused = result ? result.results.filter((r) => r.outcome === 'refused').length : 1;
      // A registry that was down for every one of them changed nothing: the image is as it was.
      const status = refused === 0 ? 'Active' : refused === unreached ? ref.record.status : 'Inactive';
      await this.store.images.setStatus(ref.record.id, status, 'Deleting').catch((err: unknown) => {
        this.log.error({ err }, 'could not settle the status of an image after its delete');
      });
    }
  }

  /**
   * Deletes `artifacts` in the registry one by one in a safe order — referrers before their
   * subjects, indexes before their children — so that at no moment does a manifest that stays
   * point at one that is gone. A refusal stops nothing else, except what the refused one
   * still references: that stays with it.
   *
   * Each artifact is checked again in the transaction that marks it `Deleting` (on
   * PostgreSQL under the image's row lock, which pushes take too): if the image was locked,
   * a tag on it locked, or its tags changed since it was chosen (a push moved a tag onto it),
   * it is left alone. While it is `Deleting`, a push of that digest is refused on /v2
   * (checks/deleting.ts), so nothing lands on it between the check and the registry's delete.
   */
  async removeArtifacts(who: DeleteActor, ref: ImageRef, artifacts: readonly PolicyArtifact[]): Promise<DeleteArtifactsResponse> {
    return (await this.remove(who, ref, artifacts)).result;
  }

  /** {@link removeArtifacts}, and how many of its refusals were a registry that was down (nothing changed). */
  private async remove(who: DeleteActor, ref: ImageRef, artifacts: readonly PolicyArtifact[]): Promise<{ result: DeleteArtifactsResponse; unreached: number }> {
    const name = `${ref.repository}/${ref.image}`;
    const results: ArtifactDeleteResult[] = [];
    let bytes = 0;
    let unreached = 0;
    /** Digests a refused artifact references, which must stay while it does. */
    const held = new Map<string, string>();
    for (const a of safeOrder(artifacts)) {
      const where = { repository: ref.repository, image: ref.image, digest: a.digest };
      const tags = a.tags.map((t) => t.name);
      const keeper = held.get(a.digest);
      if (keeper !== undefined) {
        results.push({ digest: a.digest, tags, outcome: 'refused', message: `kept: ${keeper}, which references it, could not be deleted` });
        holdReferences(held, a);
        continue;
      }
      const at = nowIso();
      let before: ArtifactRecord | null = null;
      const start = await this.store
        .transaction(async (tx) => {
          before = await tx.images.getArtifact(ref.record.id, a.digest);
          if (!(await tx.images.setArtifactStatus({ ...where, status: 'Deleting' }))) return 'absent' as const;
          const now = await tx.images.getArtifact(ref.record.id, a.digest);
          const locks = await tx.locks.state(ref.record.id);
          const refusal = now && this.locksRefuse(locks, { kind: 'delete-artifact', digest: a.digest, tags: now.tags }, name);
          if (refusal) throw new Changed(refusal.message);
          if (now && !sameTags(now.tags, tags)) throw new Changed(`its tags changed since it was chosen (now: ${now.tags.join(', ') || 'none'}); look again`);
          await tx.audit.record({ at, actor: who.actor, action: 'artifact.delete', target: `${name}@${a.digest}`, before: { tags, size: a.size, via: who.via } });
          return 'started' as const;
        })
        .catch((err: unknown) => {
          if (err instanceof Changed) return err;
          throw err;
        });
      if (start === 'absent') {
        results.push({ digest: a.digest, tags, outcome: 'absent' });
        continue;
      }
      if (start instanceof Changed) {
        results.push({ digest: a.digest, tags, outcome: 'refused', message: start.message });
        holdReferences(held, a);
        continue;
      }
      const answer = await this.ask(() => this.upstream.deleteManifest(name, a.digest));
      if (answer === UNREACHED) {
        await this.settleRefusal(() => this.restore(where, before));
        results.push({ digest: a.digest, tags, outcome: 'refused', message: UNREACHED.message, registry: { status: UNREACHED.status } });
        holdReferences(held, a);
        unreached++;
        continue;
      }
      if (answer.answer === 'refused') {
        await this.settleRefusal(() => this.store.images.setArtifactStatus({ ...where, status: 'Inactive', from: 'Deleting' }));
        results.push({ digest: a.digest, tags, outcome: 'refused', message: refusedMessage(answer), registry: registryOf(answer) });
        holdReferences(held, a);
        continue;
      }
      await this.store.images.recordDelete({ ...where, at: nowIso() });
      if (answer.answer === 'deleted') bytes += a.size;
      results.push({ digest: a.digest, tags, outcome: answer.answer });
    }
    return { result: { results, bytes }, unreached };
  }

  /**
   * The registry's answer. A failed connection counts as a refusal; {@link UNREACHED} when the
   * registry refused the connection itself, so the request cannot have reached it.
   */
  private async ask<A extends DeleteAnswer>(call: () => Promise<A>): Promise<A | typeof UNREACHED> {
    try {
      return await call();
    } catch (err) {
      this.log.warn({ err }, 'the registry could not be reached for a delete');
      if (connectionRefused(err)) return UNREACHED;
      return { answer: 'refused', status: 502, message: 'the connection to the registry failed' } as A;
    }
  }

  /** Puts an artifact and its tags back to the statuses they had before a delete the registry never saw. */
  private async restore(where: { repository: string; image: string; digest: string }, before: ArtifactRecord | null): Promise<void> {
    const status = before?.status ?? 'Active';
    await this.store.images.setArtifactStatus({ ...where, status, from: 'Deleting' });
    for (const tag of before?.tags ?? []) {
      const own = before?.tagStatus[tag] ?? 'Active';
      if (own !== status) await this.store.images.setTagStatus({ repository: where.repository, image: where.image, tag, status: own, from: status });
    }
  }

  private async settleRefusal(mark: () => Promise<unknown>): Promise<void> {
    await mark().catch((err: unknown) => this.log.error({ err }, 'could not mark a refused delete Inactive'));
  }
}

/** The answer when the registry refused the connection: the delete never reached it, nothing changed. */
const UNREACHED = {
  answer: 'refused',
  status: 502,
  message: 'the registry could not be reached (it refused the connection); nothing was deleted and the status is as it was: try again when it is back',
} as const satisfies DeleteAnswer;

/** True when `err` (or what caused it) is a refused connection: the request was never sent. */
function connectionRefused(err: unknown): boolean {
  const seen = new Set<unknown>();
  const walk = (e: unknown): boolean => {
    if (typeof e !== 'object' || e === null || seen.has(e)) return false;
    seen.add(e);
    const x = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (x.code === 'ECONNREFUSED') return true;
    if (Array.isArray(x.errors) && x.errors.length > 0 && x.errors.every(walk)) return true;
    return walk(x.cause);
  };
  return walk(err);
}

/** Raised in a delete's first transaction (rolling it back) when the artifact changed since it was chosen. */
class Changed extends Error {}

function sameTags(now: readonly string[], chosen: readonly string[]): boolean {
  if (now.length !== chosen.length) return false;
  const set = new Set(chosen);
  return now.every((t) => set.has(t));
}

/** What `a` references stays while `a` does. */
function holdReferences(held: Map<string, string>, a: PolicyArtifact): void {
  for (const d of [...a.children, ...(a.subject ? [a.subject] : [])]) if (!held.has(d)) held.set(d, a.digest);
}

function registryOf(a: DeleteAnswer): { status: number; code?: string } {
  return a.code === undefined ? { status: a.status } : { status: a.status, code: a.code };
}

function refusedMessage(a: DeleteAnswer): string {
  return `the registry refused the delete (${a.status}${a.code ? ` ${a.code}` : ''}${a.message ? `: ${a.message}` : ''}); it is still there, marked Inactive`;
}

/**
 * `artifacts` ordered so that each comes after every artifact of the set that references it
 * (a referrer before its subject, an index before its children, at any depth); otherwise by
 * digest. References to artifacts outside the set do not constrain the order.
 */
export function safeOrder<A extends PolicyArtifact>(artifacts: readonly A[]): A[] {
  const byDigest = new Map(artifacts.map((a) => [a.digest, a]));
  // waiting[d]: how many artifacts of the set that reference d are not yet placed.
  const waiting = new Map<string, number>();
  const refs = (a: A) => [...a.children, ...(a.subject ? [a.subject] : [])].filter((d) => d !== a.digest && byDigest.has(d));
  for (const a of byDigest.values()) for (const d of new Set(refs(a))) waiting.set(d, (waiting.get(d) ?? 0) + 1);
  const ready = [...byDigest.values()].filter((a) => !waiting.get(a.digest)).sort(byDigestOrder);
  const out: A[] = [];
  while (ready.length > 0) {
    const a = ready.shift()!;
    out.push(a);
    for (const d of new Set(refs(a))) {
      const left = waiting.get(d)! - 1;
      waiting.set(d, left);
      if (left === 0) insertSorted(ready, byDigest.get(d)!);
    }
  }
  // A reference cycle (not possible with content-addressed manifests): the rest by digest.
  if (out.length < byDigest.size) out.push(...[...byDigest.values()].filter((a) => !out.includes(a)).sort(byDigestOrder));
  return out;
}

const byDigestOrder = (x: PolicyArtifact, y: PolicyArtifact) => (x.digest < y.digest ? -1 : x.digest > y.digest ? 1 : 0);

function insertSorted<A extends PolicyArtifact>(list: A[], a: A): void {
  const at = list.findIndex((x) => byDigestOrder(a, x) < 0);
  if (at < 0) list.push(a);
  else list.splice(at, 0, a);
}
