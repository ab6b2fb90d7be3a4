import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { Page, Registry } from '@berth/api';
import { api } from '@/lib/api-client';
import { registryKeys } from './keys';

export const REGISTRY_PAGE_SIZE = 50;

/** GET /registries: one page of the registries Berth knows, the managed one first. */
export function getRegistries(q: string, cursor?: string, signal?: AbortSignal): Promise<Page<Registry>> {
  return api.get('/registries', { limit: REGISTRY_PAGE_SIZE, cursor, q: q || undefined }, signal);
}

export function registriesQueryOptions(q = '') {
  return infiniteQueryOptions({
    queryKey: registryKeys.list(q),
    queryFn: ({ pageParam, signal }) => getRegistries(q, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 60_000,
  });
}

export function useRegistries(q = '', opts: { enabled?: boolean } = {}) {
  return useInfiniteQuery({ ...registriesQueryOptions(q), placeholderData: keepPreviousData, enabled: opts.enabled ?? true });
}
