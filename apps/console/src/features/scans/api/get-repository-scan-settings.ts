import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RepositoryScanSettings } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** GET /repositories/{repository}/scan-settings: the default its images inherit. */
export function getRepositoryScanSettings(repository: string, signal?: AbortSignal): Promise<RepositoryScanSettings> {
  return api.get(`/repositories/${seg(repository)}/scan-settings`, undefined, signal);
}

export function repositoryScanSettingsQueryOptions(repository: string) {
  return queryOptions({
    queryKey: scanKeys.repositorySetting(repository),
    queryFn: ({ signal }) => getRepositoryScanSettings(repository, signal),
  });
}

export function useRepositoryScanSettings(repository: string) {
  return useQuery(repositoryScanSettingsQueryOptions(repository));
}
