import { useMutation } from '@tanstack/react-query';
import { request, setCsrfToken } from '@/lib/api-client';

/** POST /auth/logout: ends the session. */
export async function signOut(): Promise<void> {
  await request<void>('/auth/logout', { method: 'POST', allowUnauthenticated: true });
  setCsrfToken(undefined);
}

/** Signs out; the caller navigates away and then clears the cache (`onSignedOut`). */
export function useSignOut(onSignedOut: () => void) {
  return useMutation({ mutationFn: signOut, onSuccess: onSignedOut });
}
