import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SecretList } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** GET /repositories/{repository}/images/{image}/artifacts/{digest}/secrets: where secrets were found, masked; `excluded` when the settings leave them out. */
export function getSecrets(repository: string, image: string, digest: string, signal?: AbortSignal): Promise<SecretList> {
  return api.get(`/repositories/${seg(repository)}/images/${seg(image)}/artifacts/${seg(digest)}/secrets`, undefined, signal);
}

export function secretsQueryOptions(repository: string, image: string, digest: string) {
  return queryOptions({
    queryKey: scanKeys.secrets(repository, image, digest),
    queryFn: ({ signal }) => getSecrets(repository, image, digest, signal),
  });
}

/** Read once the scan has results (before, the server answers SCAN_NOT_FOUND). */
export function useSecrets(repository: string, image: string, digest: string) {
  return useQuery(secretsQueryOptions(repository, image, digest));
}
