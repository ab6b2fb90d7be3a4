import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ScanRequested } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** POST /repositories/{repository}/images/{image}/artifacts/{digest}/scan (admin): a "Vulnerability check" of one artifact. */
export function requestArtifactScan(repository: string, image: string, digest: string): Promise<ScanRequested> {
  return api.post(`/repositories/${seg(repository)}/images/${seg(image)}/artifacts/${seg(digest)}/scan`);
}

/** Queues one artifact's scan; the caller says how it went. Its scan is read again (and polled), `onChanged` refreshes the tag rows. */
export function useRequestArtifactScan(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (digest: string) => requestArtifactScan(repository, image, digest),
    onSuccess: (_queued, digest) =>
      Promise.all([queryClient.invalidateQueries({ queryKey: scanKeys.artifact(repository, image, digest) }), opts.onChanged?.()]),
  });
}
