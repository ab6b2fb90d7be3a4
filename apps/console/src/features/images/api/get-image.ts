import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Image } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { imageKeys } from './keys';

/** GET /repositories/{repository}/images/{image}; the name's `/` travels as `%2F`. */
export function getImage(repository: string, name: string, signal?: AbortSignal): Promise<Image> {
  return api.get(`/repositories/${seg(repository)}/images/${seg(name)}`, undefined, signal);
}

export function imageQueryOptions(repository: string, name: string) {
  return queryOptions({
    queryKey: imageKeys.detail(repository, name),
    queryFn: ({ signal }) => getImage(repository, name, signal),
  });
}

export function useImage(repository: string, name: string) {
  return useQuery(imageQueryOptions(repository, name));
}
