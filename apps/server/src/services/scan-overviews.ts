import type { ScanOverview } from '@berth/api';
import { effectiveRestriction, pullVerdict } from '@berth/policy';
import type { Store } from '@berth/store';

const noCounts = () => ({ critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 });

/**
 * The latest scan of each of `digests` as artifact and tag rows show it (`none` for those
 * never scanned), with what the image's pull restriction would answer a pull of it now —
 * the same verdict the /v2 check gives. Two queries whatever the page size.
 */
export async function scanOverviews(store: Store, image: { id: number; repositoryId: number; name: string; repository: string }, digests: readonly string[]): Promise<Map<string, ScanOverview>> {
  const [scans, own, inherited] = await Promise.all([
    store.scans.byDigests(image.id, [...new Set(digests)]),
    store.scans.imageSettings(image.id),
    store.scans.repositorySettings(image.repositoryId),
  ]);
  const restriction = effectiveRestriction(own.pull, inherited.pull);
  const out = new Map<string, ScanOverview>();
  for (const d of digests) {
    const s = scans.get(d);
    const refusal = pullVerdict(restriction, s ? { status: s.status, hasResults: s.dbVersion !== null, error: s.error, counts: s.counts, fixable: s.fixable } : null, `${image.repository}/${image.name}`);
    out.set(d, { status: s?.status ?? 'none', scannedAt: s?.scannedAt ?? null, summary: s?.counts ?? noCounts(), pullRefusal: refusal?.message ?? null });
  }
  return out;
}
