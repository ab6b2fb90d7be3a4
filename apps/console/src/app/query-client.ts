import { MutationCache, QueryClient } from '@tanstack/react-query';
import { i18next } from '@/lib/i18n';
import { isApiError } from '@/lib/api-client';
import { toast } from '@/lib/toast';

/** Client errors other than a timeout or rate limit will not change on retry. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) return false;
  return failureCount < 2;
}

/**
 * The one QueryClient (the server's first render makes its own, without retries). Mutation errors become a toast here, in one place, unless the
 * mutation shows them itself (`meta: { errorToast: false }`) or the user is being
 * sent to sign in (401).
 */
export function createQueryClient(options: { retry?: false } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, gcTime: 5 * 60_000, retry: options.retry ?? shouldRetry },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (mutation.meta?.errorToast === false) return;
        if (isApiError(error) && error.status === 401) return;
        const message = isApiError(error) && error.status === 403 && error.code === 'FORBIDDEN' ? i18next.t('errors.forbidden') : error.message;
        toast.error(message || i18next.t('errors.unknown'));
      },
    }),
  });
}
