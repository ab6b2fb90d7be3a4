import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ImagePullRestriction } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { scanKeys } from './keys';

/** GET /repositories/{repository}/images/{image}/pull-restriction: the restriction that applies, and where it comes from. */
export function getImagePullRestriction(repository: string, image: string, signal?: AbortSignal): Promise<ImagePullRestriction> {
  return api.get(`/repositories/${seg(repository)}/images/${seg(image)}/pull-restriction`, undefined, signal);
}

export function imagePullRestrictionQueryOptions(repository: string, image: string) {
  return queryOptions({
    queryKey: scanKeys.imageRestriction(repository, image),
    queryFn: ({ signal }) => getImagePullRestriction(repository, image, signal),
  });
}

export function useImagePullRestriction(repository: string, image: string) {
  return useQuery(imagePullRestrictionQueryOptions(repository, image));
}
