import { RouterProvider } from 'react-router/dom';
import { setUnauthenticatedHandler, loginPath } from '@/lib/api-client';
import { createQueryClient } from './query-client';
import { AppProviders } from './providers';
import { createRouter } from './router';

const queryClient = createQueryClient();
const router = createRouter(queryClient);

// A 401 outside a navigation (an expired session while on a page, a mutation) goes to
// sign-in; during a navigation the route's error element does the same.
setUnauthenticatedHandler(() => {
  const { pathname, search } = router.state.location;
  if (router.state.navigation.state !== 'idle' || pathname.startsWith('/login')) return;
  void router.navigate(loginPath(pathname + search), { replace: true });
});

/** The console: providers around the data router. */
export function App() {
  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
