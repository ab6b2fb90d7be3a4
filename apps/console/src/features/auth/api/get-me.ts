import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Me } from '@berth/api';
import { request, setCsrfToken } from '@/lib/api-client';
import { authKeys } from './keys';

/** GET /auth/me: the signed-in account; remembers its CSRF token for mutations. */
export async function getMe(signal?: AbortSignal): Promise<Me> {
  // A 401 here is the root loader's to handle (it redirects to the sign-in page).
  const me = await request<Me>('/auth/me', { signal, allowUnauthenticated: true });
  setCsrfToken(me.csrfToken);
  return me;
}

export function meQueryOptions() {
  return queryOptions({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useMe() {
  return useQuery(meQueryOptions());
}
