import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { Severity, VulnerabilityPage } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { SEVERITIES_DESC } from '../components/severity';
import { scanKeys, type VulnerabilityFilters, type VulnerabilitySort } from './keys';

export const VULNERABILITY_PAGE_SIZE = 100;
export const VULNERABILITY_SORTS: readonly VulnerabilitySort[] = ['severity', 'id', 'package', 'fixedVersion'];
export const DEFAULT_VULNERABILITY_FILTERS: VulnerabilityFilters = { sort: 'severity', order: 'desc', q: '', severity: [], fixable: false };

/** Filters from URL search params (`?sort=package&order=asc&q=lodash&severity=critical,high&fixable=true`), defaults for the rest. */
export function parseVulnerabilityFilters(params: URLSearchParams): VulnerabilityFilters {
  const sort = params.get('sort') as VulnerabilitySort | null;
  const order = params.get('order');
  const levels = new Set((params.get('severity') ?? '').split(','));
  return {
    sort: sort && VULNERABILITY_SORTS.includes(sort) ? sort : DEFAULT_VULNERABILITY_FILTERS.sort,
    order: order === 'asc' || order === 'desc' ? order : DEFAULT_VULNERABILITY_FILTERS.order,
    q: params.get('q')?.trim() ?? '',
    // Known levels only, most severe first: one filter has one key however it was typed.
    severity: SEVERITIES_DESC.filter((s): s is Severity => levels.has(s)),
    fixable: params.get('fixable') === 'true',
  };
}

/** GET /repositories/{repository}/images/{image}/artifacts/{digest}/vulnerabilities: one page. 404 SCAN_NOT_FOUND without a finished scan. */
export function getVulnerabilities(
  repository: string,
  image: string,
  digest: string,
  filters: VulnerabilityFilters,
  cursor?: string,
  signal?: AbortSignal,
): Promise<VulnerabilityPage> {
  return api.get(
    `/repositories/${seg(repository)}/images/${seg(image)}/artifacts/${seg(digest)}/vulnerabilities`,
    {
      limit: VULNERABILITY_PAGE_SIZE,
      cursor,
      sort: filters.sort,
      order: filters.order,
      q: filters.q,
      severity: filters.severity.join(','),
      fixable: filters.fixable ? 'true' : undefined,
    },
    signal,
  );
}

export function vulnerabilitiesQueryOptions(repository: string, image: string, digest: string, filters: VulnerabilityFilters) {
  return infiniteQueryOptions({
    queryKey: scanKeys.vulnerabilities(repository, image, digest, filters),
    queryFn: ({ pageParam, signal }) => getVulnerabilities(repository, image, digest, filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Read once the scan has results (before, the server answers SCAN_NOT_FOUND). */
export function useVulnerabilities(repository: string, image: string, digest: string, filters: VulnerabilityFilters) {
  return useInfiniteQuery({ ...vulnerabilitiesQueryOptions(repository, image, digest, filters), placeholderData: keepPreviousData });
}
