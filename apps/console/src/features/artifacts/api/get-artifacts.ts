import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { Artifact, Page } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { parseListFilters } from '@/lib/list-filters';
import { artifactKeys, type ArtifactListFilters, type ArtifactSort } from './keys';

export const ARTIFACT_PAGE_SIZE = 50;
export const ARTIFACT_SORTS: readonly ArtifactSort[] = ['pushedAt', 'pulledAt', 'pullCount', 'size'];
export const DEFAULT_ARTIFACT_FILTERS: ArtifactListFilters = { sort: 'pushedAt', order: 'desc', q: '' };

/** Sort and tag filter from URL search params, defaults for the rest. */
export const parseArtifactFilters = (params: URLSearchParams): ArtifactListFilters => parseListFilters(params, ARTIFACT_SORTS, DEFAULT_ARTIFACT_FILTERS);

/** GET /repositories/{repository}/images/{image}/artifacts: one page. */
export function getArtifacts(
  repository: string,
  image: string,
  filters: ArtifactListFilters,
  cursor?: string,
  signal?: AbortSignal,
): Promise<Page<Artifact>> {
  return api.get(
    `/repositories/${seg(repository)}/images/${seg(image)}/artifacts`,
    { limit: ARTIFACT_PAGE_SIZE, cursor, sort: filters.sort, order: filters.order, q: filters.q },
    signal,
  );
}

export function artifactsQueryOptions(repository: string, image: string, filters: ArtifactListFilters) {
  return infiniteQueryOptions({
    queryKey: artifactKeys.list(repository, image, filters),
    queryFn: ({ pageParam, signal }) => getArtifacts(repository, image, filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useArtifacts(repository: string, image: string, filters: ArtifactListFilters) {
  return useInfiniteQuery({ ...artifactsQueryOptions(repository, image, filters), placeholderData: keepPreviousData });
}
