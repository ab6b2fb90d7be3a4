import { useMutation } from '@tanstack/react-query';
import type { GcReport, GcRequest } from '@berth/api';
import { api, seg } from '@/lib/api-client';

/** POST /registries/{registry}/gc (admin, embedded registry only): a dry run unless `dryRun: false`. */
export function collectGarbage(name: string, body: GcRequest): Promise<GcReport> {
  return api.post(`/registries/${seg(name)}/gc`, body);
}

/** One garbage collection run; a real run that swept untagged manifests calls `onCollected` (Berth's lists change). */
export function useCollectGarbage(name: string, opts: { onCollected?: (report: GcReport) => unknown } = {}) {
  return useMutation({
    meta: { errorToast: false }, // the card and dialog show the error
    mutationFn: (body: GcRequest) => collectGarbage(name, body),
    onSuccess: (report) => (report.dryRun ? undefined : opts.onCollected?.(report)),
  });
}
