import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { Image, Page } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { parseListFilters } from '@/lib/list-filters';
import { imageKeys, type ImageListFilters, type ImageSort } from './keys';

export const IMAGE_PAGE_SIZE = 50;
export const IMAGE_SORTS: readonly ImageSort[] = ['name', 'artifactCount', 'pullCount', 'lastModifiedAt'];
export const DEFAULT_IMAGE_FILTERS: ImageListFilters = { sort: 'name', order: 'asc', q: '' };

/** Sort and filter from URL search params (`?sort=pullCount&order=desc&q=web`), defaults for the rest. */
export const parseImageFilters = (params: URLSearchParams): ImageListFilters => parseListFilters(params, IMAGE_SORTS, DEFAULT_IMAGE_FILTERS);

/** GET /repositories/{repository}/images: one page. */
export function getImages(repository: string, filters: ImageListFilters, cursor?: string, signal?: AbortSignal): Promise<Page<Image>> {
  return api.get(
    `/repositories/${seg(repository)}/images`,
    { limit: IMAGE_PAGE_SIZE, cursor, sort: filters.sort, order: filters.order, q: filters.q },
    signal,
  );
}

export function imagesQueryOptions(repository: string, filters: ImageListFilters) {
  return infiniteQueryOptions({
    queryKey: imageKeys.list(repository, filters),
    queryFn: ({ pageParam, signal }) => getImages(repository, filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useImages(repository: string, filters: ImageListFilters) {
  return useInfiniteQuery({ ...imagesQueryOptions(repository, filters), placeholderData: keepPreviousData });
}
