import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Repository } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { repositoryKeys } from './keys';

/** GET /repositories/{repository}. */
export function getRepository(name: string, signal?: AbortSignal): Promise<Repository> {
  return api.get(`/repositories/${seg(name)}`, undefined, signal);
}

export function repositoryQueryOptions(name: string) {
  return queryOptions({
    queryKey: repositoryKeys.detail(name),
    queryFn: ({ signal }) => getRepository(name, signal),
  });
}

export function useRepository(name: string) {
  return useQuery(repositoryQueryOptions(name));
}
