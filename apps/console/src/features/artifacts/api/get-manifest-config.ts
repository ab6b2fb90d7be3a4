import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ImageConfigSummary } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { artifactKeys } from './keys';

/** GET …/manifests/{reference}/config: the image config, summarized (secret-looking env values left out). */
export function getManifestConfig(repository: string, image: string, reference: string, signal?: AbortSignal): Promise<ImageConfigSummary> {
  return api.get(`/repositories/${seg(repository)}/images/${seg(image)}/manifests/${seg(reference)}/config`, undefined, signal);
}

export function manifestConfigQueryOptions(repository: string, image: string, reference: string) {
  return queryOptions({
    queryKey: artifactKeys.config(repository, image, reference),
    queryFn: ({ signal }) => getManifestConfig(repository, image, reference, signal),
    staleTime: reference.includes(':') ? Infinity : 0,
    retry: false,
  });
}

export function useManifestConfig(repository: string, image: string, reference: string, enabled = true) {
  return useQuery({ ...manifestConfigQueryOptions(repository, image, reference), enabled });
}
