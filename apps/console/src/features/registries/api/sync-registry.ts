import { useMutation } from '@tanstack/react-query';
import type { SyncResult } from '@berth/api';
import { api, seg } from '@/lib/api-client';

/** POST /registries/{registry}/sync (admin): import what the registry holds and Berth does not know yet. */
export function syncRegistry(name: string): Promise<SyncResult> {
  return api.post(`/registries/${seg(name)}/sync`);
}

/**
 * Runs a reconciliation. The registry itself does not change; what Berth lists does, so
 * the page passes `onSynced` to refresh the other features' lists (features do not know each other).
 */
export function useSyncRegistry(name: string, opts: { onSynced?: () => unknown } = {}) {
  return useMutation({
    meta: { errorToast: false }, // the card shows the error
    mutationFn: () => syncRegistry(name),
    onSuccess: () => opts.onSynced?.(),
  });
}
