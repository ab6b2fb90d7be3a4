import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PolicyRunResponse } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { policyKeys } from './keys';

/** POST /repositories/{repository}/images/{image}/deletion-policy/run (admin): deletes what the policy says now. */
export function runDeletionPolicy(repository: string, image: string): Promise<PolicyRunResponse> {
  return api.post(`/repositories/${seg(repository)}/images/${seg(image)}/deletion-policy/run`);
}

/** Runs the policy; the dialog shows a refusal. The test is read again, `onChanged` refreshes the image's lists. */
export function useRunDeletionPolicy(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: () => runDeletionPolicy(repository, image),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: policyKeys.test(repository, image) }), opts.onChanged?.()]),
  });
}
