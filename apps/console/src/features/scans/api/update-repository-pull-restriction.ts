import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PullRestriction, RepositoryPullRestriction } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** PUT /repositories/{repository}/pull-restriction (admin; audited): the default of the repository's images. */
export function updateRepositoryPullRestriction(repository: string, body: PullRestriction): Promise<RepositoryPullRestriction> {
  return api.put(`/repositories/${seg(repository)}/pull-restriction`, body);
}

/** Saves a repository's default; the images that inherit it (their restrictions and scans) are read again, `onChanged` refreshes the other features' rows. */
export function useUpdateRepositoryPullRestriction(repository: string, opts: { onChanged?: () => unknown } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: PullRestriction) => updateRepositoryPullRestriction(repository, body),
    onSuccess: (saved) => {
      queryClient.setQueryData(scanKeys.repositoryRestriction(repository), saved);
      return Promise.all([...[scanKeys.imageRestrictions(), scanKeys.artifacts()].map((queryKey) => queryClient.invalidateQueries({ queryKey })), opts.onChanged?.()]);
    },
  });
}
