import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RegistryDetail } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { registryKeys } from './keys';

/** GET /registries/{registry}: one registry Berth knows, with its last sync and garbage collection. */
export function getRegistry(name: string, signal?: AbortSignal): Promise<RegistryDetail> {
  return api.get(`/registries/${seg(name)}`, undefined, signal);
}

export function registryQueryOptions(name: string) {
  return queryOptions({
    queryKey: registryKeys.detail(name),
    queryFn: ({ signal }) => getRegistry(name, signal),
    staleTime: 10 * 60_000,
  });
}

export function useRegistry(name: string) {
  return useQuery(registryQueryOptions(name));
}
