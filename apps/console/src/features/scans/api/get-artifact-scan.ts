import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ArtifactScan } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanInProgress } from '../components/scan-status';
import { scanKeys } from './keys';

/** How often a waiting or running scan is read again. */
export const SCAN_POLL_MS = 2_000;

/** GET /repositories/{repository}/images/{image}/artifacts/{digest}/scan: where the artifact's scan stands, its counts and platforms. */
export function getArtifactScan(repository: string, image: string, digest: string, signal?: AbortSignal): Promise<ArtifactScan> {
  return api.get(`/repositories/${seg(repository)}/images/${seg(image)}/artifacts/${seg(digest)}/scan`, undefined, signal);
}

/** Read every 2 s while the scan is queued or running, then left alone. */
export function artifactScanQueryOptions(repository: string, image: string, digest: string) {
  return queryOptions({
    queryKey: scanKeys.scan(repository, image, digest),
    queryFn: ({ signal }) => getArtifactScan(repository, image, digest, signal),
    refetchInterval: (query) => (scanInProgress(query.state.data?.status) ? SCAN_POLL_MS : false),
  });
}

export function useArtifactScan(repository: string, image: string, digest: string) {
  return useQuery(artifactScanQueryOptions(repository, image, digest));
}
