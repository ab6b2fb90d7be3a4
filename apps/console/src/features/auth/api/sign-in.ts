import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginRequest, Me } from '@berth/api';
import { request, setCsrfToken } from '@/lib/api-client';
import { authKeys } from './keys';

/** POST /auth/login: starts a session (cookie) and returns the account with its CSRF token. */
export async function signIn(body: LoginRequest): Promise<Me> {
  const me = await request<Me>('/auth/login', { method: 'POST', body, allowUnauthenticated: true });
  setCsrfToken(me.csrfToken);
  return me;
}

/** Signs in; forgets whatever the previous account had cached. The form shows errors itself. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    meta: { errorToast: false },
    onSuccess: (me) => {
      queryClient.clear();
      queryClient.setQueryData(authKeys.me(), me);
    },
  });
}
