import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ScanRequested } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** POST /repositories/{repository}/images/{image}/scan (admin): a "Vulnerability check" of every artifact of the image. 503 VULN_DB_UNAVAILABLE without a database. */
export function requestImageScan(repository: string, image: string): Promise<ScanRequested> {
  return api.post(`/repositories/${seg(repository)}/images/${seg(image)}/scan`);
}

/** Queues the image's scans; the caller says how it went. Its scans are read again, `onChanged` refreshes the tag rows. */
export function useRequestImageScan(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: () => requestImageScan(repository, image),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: scanKeys.image(repository, image) }), opts.onChanged?.()]),
  });
}
