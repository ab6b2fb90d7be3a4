import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RepositoryPullRestriction } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** GET /repositories/{repository}/pull-restriction: the default its images inherit. */
export function getRepositoryPullRestriction(repository: string, signal?: AbortSignal): Promise<RepositoryPullRestriction> {
  return api.get(`/repositories/${seg(repository)}/pull-restriction`, undefined, signal);
}

export function repositoryPullRestrictionQueryOptions(repository: string) {
  return queryOptions({
    queryKey: scanKeys.repositoryRestriction(repository),
    queryFn: ({ signal }) => getRepositoryPullRestriction(repository, signal),
  });
}

export function useRepositoryPullRestriction(repository: string) {
  return useQuery(repositoryPullRestrictionQueryOptions(repository));
}
