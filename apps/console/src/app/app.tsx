import { useEffect } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { RouterProvider } from 'react-router/dom';
import { setUnauthenticatedHandler, loginPath } from '@/lib/api-client';
import { AppProviders } from './providers';
import type { AppRouter } from './router';

/**
 * A 401 outside a navigation (an expired session while on a page, a mutation) goes to
 * sign-in; during a navigation the route's error element does the same.
 */
export function sendToSignInOn401(router: AppRouter): void {
  setUnauthenticatedHandler(() => {
    const { pathname, search } = router.state.location;
    if (router.state.navigation.state !== 'idle' || pathname.startsWith('/login')) return;
    void router.navigate(loginPath(pathname + search), { replace: true });
  });
}

/** The console in the browser: providers around the data router. */
export function App({ router, queryClient, i18n }: { router: AppRouter; queryClient: QueryClient; i18n: I18n }) {
  // `<html data-console="ready">` once the page is live (hydrated or rendered): its controls work.
  useEffect(() => {
    document.documentElement.dataset.console = 'ready';
  }, []);
  return (
    <AppProviders queryClient={queryClient} i18n={i18n}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
