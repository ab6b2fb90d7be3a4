import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PolicyTestResponse } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { policyKeys } from './keys';

/** POST /repositories/{repository}/images/{image}/deletion-policy/test: a dry run; nothing is deleted. */
export function testDeletionPolicy(repository: string, image: string, signal?: AbortSignal): Promise<PolicyTestResponse> {
  return api.post(`/repositories/${seg(repository)}/images/${seg(image)}/deletion-policy/test`, undefined, { signal });
}

/** A dry run changes nothing, so it is read like data: once when the tab opens, again on "Test policy". */
export function policyTestQueryOptions(repository: string, image: string) {
  return queryOptions({
    queryKey: policyKeys.test(repository, image),
    queryFn: ({ signal }) => testDeletionPolicy(repository, image, signal),
    staleTime: 0,
    gcTime: 60_000,
    retry: false,
    // What is listed is what Run now is confirmed against: it changes on "Test policy", not on a window focus.
    refetchOnWindowFocus: false,
  });
}

export function usePolicyTest(repository: string, image: string) {
  return useQuery(policyTestQueryOptions(repository, image));
}
