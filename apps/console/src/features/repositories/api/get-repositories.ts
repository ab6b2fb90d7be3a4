import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { Page, Repository } from '@berth/api';
import { api } from '@/lib/api-client';
import { repositoryKeys, type RepositoryListFilters } from './keys';

export const REPOSITORY_PAGE_SIZE = 50;

/** The list filters from URL search params (`?q=`). */
export function parseRepositoryFilters(params: URLSearchParams): RepositoryListFilters {
  return { q: params.get('q')?.trim() ?? '' };
}

/** GET /repositories: one page. */
export function getRepositories(filters: RepositoryListFilters, cursor?: string, signal?: AbortSignal): Promise<Page<Repository>> {
  return api.get('/repositories', { limit: REPOSITORY_PAGE_SIZE, cursor, q: filters.q }, signal);
}

export function repositoriesQueryOptions(filters: RepositoryListFilters) {
  return infiniteQueryOptions({
    queryKey: repositoryKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getRepositories(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useRepositories(filters: RepositoryListFilters) {
  return useInfiniteQuery({ ...repositoriesQueryOptions(filters), placeholderData: keepPreviousData });
}
