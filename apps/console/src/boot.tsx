import { startTransition, StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { hydrate } from '@tanstack/react-query';
import { matchRoutes, type RouteObject } from 'react-router';
import { changeLanguage, i18next, savedLanguage } from '@/lib/i18n';
import { setCsrfToken } from '@/lib/api-client';
import { App, sendToSignInOn401 } from '@/app/app';
import { createQueryClient } from '@/app/query-client';
import { createRouter, createRoutes } from '@/app/router';
import { readSsrState } from '@/app/ssr-state';
import { meQueryOptions } from '@/features/auth/api/get-me';

/**
 * Starts the console in the browser (loaded by main.tsx once the page has painted):
 * hydrates a page the server rendered, or renders one from scratch.
 */

/** Loads the page modules of the routes matching `location`, so hydration renders what the server did. */
async function loadMatchedRoutes(routes: RouteObject[], location: Location): Promise<void> {
  const matches = matchRoutes(routes, location) ?? [];
  await Promise.all(
    matches.map(async ({ route }) => {
      if (typeof route.lazy !== 'function') return;
      const module = await route.lazy();
      Object.assign(route, { ...module, lazy: undefined });
    }),
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
const queryClient = createQueryClient();
const routes = createRoutes(queryClient);
// A page the server rendered carries its data: hydrate it. Otherwise render from scratch.
const state = root.firstElementChild ? readSsrState(document) : null;

if (state) {
  hydrate(queryClient, state.queries);
  const me = queryClient.getQueryData(meQueryOptions().queryKey);
  if (me) setCsrfToken(me.csrfToken);
  await i18next.changeLanguage(state.language);
  await loadMatchedRoutes(routes, window.location);
  const router = createRouter(routes, state.router);
  sendToSignInOn401(router);
  // In a transition, hydration yields to the browser every few milliseconds instead of
  // holding the main thread until the whole page is hydrated: the rendered page stays
  // responsive (scrolling, text selection) while it becomes live.
  startTransition(() => {
    hydrateRoot(
      root,
      <StrictMode>
        <App router={router} queryClient={queryClient} i18n={i18next} />
      </StrictMode>,
      {
        // A mismatch makes React render the page afresh: say so (the e2e specs fail on it).
        // eslint-disable-next-line no-console -- the one report of a broken hydration, read by the e2e specs
        onRecoverableError: (error) => console.error('Berth: the server-rendered page did not hydrate as rendered:', error),
      },
    );
  });
} else {
  const router = createRouter(routes);
  sendToSignInOn401(router);
  createRoot(root).render(
    <StrictMode>
      <App router={router} queryClient={queryClient} i18n={i18next} />
    </StrictMode>,
  );
}

// A choice saved before the language cookie existed: apply it, and set the cookie.
const saved = savedLanguage();
if (saved && saved !== i18next.language) void changeLanguage(saved);
