import { OciError } from '@berth/oci';
import { effectiveRestriction, pullVerdict } from '@berth/policy';
import type { Store } from '@berth/store';
import type { Check } from '../context.ts';

/**
 * Pull restriction on manifest GET and HEAD (OCI `DENIED` naming the rule and the counts).
 * Decided from the stored scan of the artifact the reference names, read with both
 * restrictions in one query; nothing is scanned on the pull path. Berth's own reads (the
 * scanner, the indexer) go to the registry directly and never meet this check. An artifact
 * Berth has not indexed counts as unscanned; an image Berth does not know passes (the
 * registry answers that it is unknown).
 */
export function pullRestriction(store: Store): Check {
  return async ({ req, target }) => {
    if (target.kind !== 'manifest' || (req.method !== 'GET' && req.method !== 'HEAD')) return null;
    const ref = target.reference;
    const state = await store.scans.pullState(target.repository, target.image, ref.kind === 'tag' ? { tag: ref.tag } : { digest: ref.digest });
    if (!state) return null;
    const restriction = effectiveRestriction(state.imageRestriction, state.repositoryRestriction);
    const refusal = pullVerdict(restriction, state.artifact?.scan ?? null, target.name);
    if (!refusal) return null;
    return new OciError('DENIED', refusal.message, { rule: refusal.rule, ...(refusal.counts ? { counts: refusal.counts } : {}), ...(state.artifact ? { digest: state.artifact.digest } : {}) });
  };
}
