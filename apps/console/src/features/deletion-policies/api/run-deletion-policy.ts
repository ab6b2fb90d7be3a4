import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PolicyRunResponse } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { policyKeys } from './keys';

/**
 * POST /repositories/{repository}/images/{image}/deletion-policy/run (admin). With `expect`
 * (the test's `deleteSet`) it deletes exactly what that test listed, or nothing (POLICY_CHANGED).
 */
export function runDeletionPolicy(repository: string, image: string, expect?: string): Promise<PolicyRunResponse> {
  return api.post(`/repositories/${seg(repository)}/images/${seg(image)}/deletion-policy/run`, expect === undefined ? {} : { expect });
}

/** Runs the policy; the dialog shows a refusal. The test is read again, `onChanged` refreshes the image's lists. */
export function useRunDeletionPolicy(repository: string, image: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (expect?: string) => runDeletionPolicy(repository, image, expect),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: policyKeys.test(repository, image) }), opts.onChanged?.()]),
  });
}
