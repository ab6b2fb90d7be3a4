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

export function useRegistries() {
  return useQuery(registriesQueryOptions());
}

/** The host people type in docker commands: the first managed registry's, else this page's. */
export function publicHostOf(registries: Registry[] | undefined): string {
  const managed = registries?.find((r) => r.kind === 'managed');
  return managed?.publicHost || window.location.host;
}

/** The public host once the registries are known (`undefined` while loading). */
export function usePublicHost(): string | undefined {
  const { data, isError } = useRegistries();
  if (isError) return window.location.host;
  return data ? publicHostOf(data) : undefined;
}
