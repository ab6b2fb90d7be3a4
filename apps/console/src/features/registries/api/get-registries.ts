import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Registry } from '@berth/api';
import { api } from '@/lib/api-client';
import { registryKeys } from './keys';

/** GET /registries: the registries Berth knows. */
export function getRegistries(signal?: AbortSignal): Promise<Registry[]> {
  return api.get('/registries', undefined, signal);
}

export function registriesQueryOptions() {
  return queryOptions({
    queryKey: registryKeys.list(),
    queryFn: ({ signal }) => getRegistries(signal),
    staleTime: 10 * 60_000,
  });
}

export function useRegistries(opts: { enabled?: boolean } = {}) {
  return useQuery({ ...registriesQueryOptions(), enabled: opts.enabled ?? true });
}
