import { parseManifest, splitName, type RegistryClient } from '@berth/oci';
import { lastSync, type LastSync, type SyncResult } from '@berth/api';
import type { Store } from '@berth/store';
import type { Logger } from 'pino';
import { nowIso } from './clock.ts';
import type { Indexer } from './indexer.ts';
import { LastRun } from './last-run.ts';
import { MANAGED_REGISTRY } from './registries/registries.ts';

const SYSTEM = 'system:sync';

/**
 * Imports what the upstream holds and Berth does not know yet (content pushed around
 * Berth, or before it), and drops tags that are gone upstream, and untagged artifacts it
 * no longer has. Only reconciliation walks the catalog; lists never do.
 *
 * Statuses: an Inactive artifact (a delete the registry refused) is still in the registry,
 * so finding it there changes nothing; its tags that still point at it are skipped. Only a
 * tag Berth does not know on that digest, or one moved onto it — a push made around Berth —
 * is imported as a push, which makes the artifact and that tag Active again. Tags gone
 * upstream leave the index whatever their status. What a stopped delete left `Deleting` (and
 * the registry still holds) becomes `Inactive`, and an image left `Editing` is `Active`
 * again, at the second reconciliation that finds it so (one in between may be a delete that
 * is simply still running).
 */
export class Reconciler {
  private running: Promise<SyncResult> | null = null;
  private readonly last: LastRun<LastSync>;

  constructor(
    private readonly store: Store,
    private readonly upstream: RegistryClient,
    private readonly indexer: Indexer,
    private readonly log: Logger,
  ) {
    this.last = new LastRun(store, `registry.${MANAGED_REGISTRY}.last-sync`, lastSync);
  }

  /**
   * Runs one reconciliation for `by` (`schedule`, or the admin who asked); a call while one
   * runs shares its result. The result is kept as the registry's last sync.
   */
  sync(by = 'schedule'): Promise<SyncResult> {
    this.running ??= this.run()
      .then(async (result) => {
        await this.last.put({ at: nowIso(), by, result });
        return result;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** The last reconciliation that finished, or null. */
  lastSync(): Promise<LastSync | null> {
    return this.last.get();
  }

  private async run(): Promise<SyncResult> {
    const result: SyncResult = { repositories: 0, images: 0, artifacts: 0, tags: 0, removedTags: 0, removedArtifacts: 0 };
    const names = await this.upstream.catalog();
    for (const full of names) {
      const parts = splitName(full);
      if (!parts) {
        this.log.warn({ name: full }, 'skipping an upstream name that is not <repository>/<image>');
        continue;
      }
      let repo = await this.store.repositories.get(parts.repository);
      if (!repo) {
        const at = nowIso();
        repo = await this.store.repositories.create({ name: parts.repository, description: '', at, actor: SYSTEM });
        await this.store.audit.record({ at, actor: SYSTEM, action: 'repository.import', target: parts.repository });
        result.repositories += 1;
      }
      const upstreamTags = await this.upstream.tags(full);
      const image = await this.store.images.get(repo.id, parts.image);
      const known = image ? await this.store.images.tagMap(image.id) : new Map<string, string>();
      if (!image && upstreamTags.length > 0) result.images += 1;
      for (const tag of upstreamTags) {
        try {
          const fetched = await this.upstream.manifest(full, tag);
          if (known.get(tag) === fetched.digest) continue;
          const manifest = parseManifest(fetched.body, fetched.mediaType);
          await this.indexer.manifestPushed({
            repository: parts.repository,
            image: parts.image,
            digest: fetched.digest,
            tag,
            body: fetched.body,
            manifest,
            at: nowIso(),
            actor: SYSTEM,
          });
          result.artifacts += 1;
          result.tags += 1;
        } catch (err) {
          this.log.warn({ err, name: full, tag }, 'could not import a tag');
        }
      }
      if (image) {
        const gone = [...known.keys()].filter((t) => !upstreamTags.includes(t));
        await this.store.images.removeTags(image.id, gone);
        result.removedTags += gone.length;
        result.removedArtifacts += await this.dropVanished(full, parts, image.id);
        await this.settleStuck(full, image.id);
      }
    }
    this.log.info(result, 'reconciliation finished');
    return result;
  }

  /**
   * Settles what has been mid-operation since the previous reconciliation (kept in the store,
   * so it does not matter which instance ran that one): a delete or edit that long is one a
   * stopped Berth left, and what is still `Deleting` is still in the registry. What became
   * mid-operation only now is left to finish, and looked at next time.
   */
  private async settleStuck(full: string, imageId: number): Promise<void> {
    const key = `reconcile.in-progress.${full}`;
    const before = new Set<string>(JSON.parse((await this.store.settings.get(key)) ?? '[]') as string[]);
    const now = await this.store.images.inProgress(imageId);
    const stuck = now.filter((k) => before.has(k));
    if (stuck.length > 0) {
      const settled = await this.store.images.settleStatuses(imageId, stuck);
      if (settled > 0) this.log.warn({ name: full, settled: stuck }, 'settled statuses a stopped delete or edit left');
    }
    const pending = now.filter((k) => !before.has(k));
    if (pending.length > 0 || before.size > 0) await this.store.settings.put(key, JSON.stringify(pending));
  }

  /**
   * Drops the image's untagged artifacts the registry no longer has (a manifest deleted
   * around Berth: its tags went with it). Tagged artifacts are in the registry's tag lists;
   * an untagged one is asked for by digest. Returns how many were dropped.
   */
  private async dropVanished(full: string, parts: { repository: string; image: string }, imageId: number): Promise<number> {
    let dropped = 0;
    for (const digest of await this.store.images.untaggedDigests(imageId)) {
      try {
        if (await this.upstream.hasManifest(full, digest)) continue;
        const at = nowIso();
        if (!(await this.store.images.recordDelete({ ...parts, digest, at }))) continue;
        await this.store.audit.record({ at, actor: SYSTEM, action: 'artifact.forget', target: `${full}@${digest}` });
        dropped += 1;
      } catch (err) {
        this.log.warn({ err, name: full, digest }, 'could not check an untagged artifact');
      }
    }
    return dropped;
  }
}
