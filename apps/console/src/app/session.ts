import { useMe } from '@/features/auth/api/get-me';

/** Whether the signed-in account may change things (admins); viewers only read. */
export function useCanEdit(): boolean {
  return useMe().data?.role === 'admin';
}

/**
 * The host people type in docker/podman commands: the session (`auth/me`) carries it, so no
 * page waits on /registries for it; `undefined` while the session loads.
 */
export function usePublicHost(): string | undefined {
  const me = useMe();
  if (me.isError) return window.location.host;
  return me.data ? me.data.publicHost || window.location.host : undefined;
}
