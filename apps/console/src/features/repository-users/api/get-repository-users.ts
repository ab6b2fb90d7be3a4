import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RepositoryUser } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { repositoryUserKeys } from './keys';

/** GET /repositories/{repository}/users: all users of a repository (there are few). */
export async function getRepositoryUsers(repository: string, signal?: AbortSignal): Promise<RepositoryUser[]> {
  const body = await api.get<{ items: RepositoryUser[] }>(`/repositories/${seg(repository)}/users`, undefined, signal);
  return body.items;
}

export function repositoryUsersQueryOptions(repository: string) {
  return queryOptions({
    queryKey: repositoryUserKeys.list(repository),
    queryFn: ({ signal }) => getRepositoryUsers(repository, signal),
  });
}

export function useRepositoryUsers(repository: string) {
  return useQuery(repositoryUsersQueryOptions(repository));
}
