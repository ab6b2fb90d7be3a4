import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeletionPolicy, RepositoryDeletionPolicy } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { policyKeys } from './keys';

/** PUT /repositories/{repository}/deletion-policy (admin; audited): the default of the repository's images. */
export function updateRepositoryDeletionPolicy(repository: string, body: DeletionPolicy): Promise<RepositoryDeletionPolicy> {
  return api.put(`/repositories/${seg(repository)}/deletion-policy`, body);
}

/** Saves a repository's default; the images that inherit it (their policies and tests) are read again. */
export function useUpdateRepositoryDeletionPolicy(repository: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: DeletionPolicy) => updateRepositoryDeletionPolicy(repository, body),
    onSuccess: (saved) => {
      queryClient.setQueryData(policyKeys.repository(repository), saved);
      return Promise.all([policyKeys.images(), policyKeys.tests()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}
