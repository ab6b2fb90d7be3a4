import { lastGc, type GcReport, type GcRequest, type LastGc } from '@berth/api';
import type { Store } from '@berth/store';
import { ApiError } from '../errors.ts';
import { nowIso } from './clock.ts';
import { actorName, type Identity } from './identity.ts';
import { LastRun } from './last-run.ts';
import { MANAGED_REGISTRY } from './registries/registries.ts';

/** What the embedded registry offers for collection; an upstream registry offers nothing. */
export type CollectGarbage = (opts: {
  dryRun: boolean;
  untagged: 'keep' | 'delete';
}) => Promise<GcReport & { removedManifests: { name: string; digest: string }[] }>;

/** Garbage collection of the registry's storage, for admins and (later) deletion jobs. Real runs are audited. */
export class RegistryGc {
  private readonly last: LastRun<LastGc>;

  constructor(
    private readonly store: Store,
    private readonly collect: CollectGarbage | null,
  ) {
    this.last = new LastRun(store, `registry.${MANAGED_REGISTRY}.last-gc`, lastGc);
  }

  /** The last collection that deleted, or null. */
  lastGc(): Promise<LastGc | null> {
    return this.last.get();
  }

  get available(): boolean {
    return this.collect !== null;
  }

  async run(who: Identity, req: GcRequest): Promise<GcReport> {
    if (!this.collect) {
      throw new ApiError('REGISTRY_UNSUPPORTED', 'garbage collection is only available on the embedded registry; run your registry’s own collector');
    }
    const { removedManifests, ...report } = await this.collect(req);
    if (!report.dryRun) {
      // Manifests the collection removed (untagged ones) leave Berth's index too.
      for (const m of removedManifests) {
        const slash = m.name.indexOf('/');
        if (slash > 0) await this.store.images.recordDelete({ repository: m.name.slice(0, slash), image: m.name.slice(slash + 1), digest: m.digest, at: nowIso() });
      }
      const at = nowIso();
      await this.store.audit.record({ at, actor: actorName(who), action: 'registry.gc', target: 'default', after: report });
      await this.last.put({ at, by: actorName(who), report });
    }
    return report;
  }
}
