import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { Page, Tag } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { parseListFilters } from '@/lib/list-filters';
import { tagKeys, type TagListFilters, type TagSort } from './keys';

export const TAG_PAGE_SIZE = 50;
export const TAG_SORTS: readonly TagSort[] = ['name', 'pushedAt', 'pulledAt', 'pullCount'];
export const DEFAULT_TAG_FILTERS: TagListFilters = { sort: 'name', order: 'asc', q: '' };

/** Sort and name filter from URL search params (`?sort=pushedAt&order=desc&q=rc`), defaults for the rest. */
export const parseTagFilters = (params: URLSearchParams): TagListFilters => parseListFilters(params, TAG_SORTS, DEFAULT_TAG_FILTERS);

/** GET /repositories/{repository}/images/{image}/tags: one page. */
export function getTags(repository: string, image: string, filters: TagListFilters, cursor?: string, signal?: AbortSignal): Promise<Page<Tag>> {
  return api.get(
    `/repositories/${seg(repository)}/images/${seg(image)}/tags`,
    { limit: TAG_PAGE_SIZE, cursor, sort: filters.sort, order: filters.order, q: filters.q },
    signal,
  );
}

/** How often the list is read again while a shown tag's scan is waiting or running. */
export const TAG_SCAN_POLL_MS = 2_000;

/** Whether a shown tag's scan is queued or running (its counts and status will change). */
export function scanPending(pages: readonly Page<Tag>[] | undefined): boolean {
  return pages?.some((page) => page.items.some((tag) => tag.scan?.status === 'queued' || tag.scan?.status === 'scanning')) ?? false;
}

export function tagsQueryOptions(repository: string, image: string, filters: TagListFilters) {
  return infiniteQueryOptions({
    queryKey: tagKeys.list(repository, image, filters),
    queryFn: ({ pageParam, signal }) => getTags(repository, image, filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) => (scanPending(query.state.data?.pages) ? TAG_SCAN_POLL_MS : false),
  });
}

export function useTags(repository: string, image: string, filters: TagListFilters) {
  return useInfiniteQuery({ ...tagsQueryOptions(repository, image, filters), placeholderData: keepPreviousData });
}
