import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ImageDeletionPolicy } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { policyKeys } from './keys';

/** GET /repositories/{repository}/images/{image}/deletion-policy: the policy that applies, and where it comes from. */
export function getImageDeletionPolicy(repository: string, image: string, signal?: AbortSignal): Promise<ImageDeletionPolicy> {
  return api.get(`/repositories/${seg(repository)}/images/${seg(image)}/deletion-policy`, undefined, signal);
}

export function imageDeletionPolicyQueryOptions(repository: string, image: string) {
  return queryOptions({
    queryKey: policyKeys.image(repository, image),
    queryFn: ({ signal }) => getImageDeletionPolicy(repository, image, signal),
  });
}

export function useImageDeletionPolicy(repository: string, image: string) {
  return useQuery(imageDeletionPolicyQueryOptions(repository, image));
}
