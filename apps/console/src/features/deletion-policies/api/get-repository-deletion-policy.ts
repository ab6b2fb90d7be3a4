import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RepositoryDeletionPolicy } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { policyKeys } from './keys';

/** GET /repositories/{repository}/deletion-policy: the default its images inherit. */
export function getRepositoryDeletionPolicy(repository: string, signal?: AbortSignal): Promise<RepositoryDeletionPolicy> {
  return api.get(`/repositories/${seg(repository)}/deletion-policy`, undefined, signal);
}

export function repositoryDeletionPolicyQueryOptions(repository: string) {
  return queryOptions({
    queryKey: policyKeys.repository(repository),
    queryFn: ({ signal }) => getRepositoryDeletionPolicy(repository, signal),
  });
}

export function useRepositoryDeletionPolicy(repository: string) {
  return useQuery(repositoryDeletionPolicyQueryOptions(repository));
}
