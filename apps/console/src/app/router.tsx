import type { ComponentType } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, redirect, type HydrationState, type RouteObject } from 'react-router';
import {
  artifactScanLoader,
  imageLoader,
  registriesLoader,
  registryImageLoader,
  registryLoader,
  registryRepositoryLoader,
  repositoriesLoader,
  repositoryDeletionPolicyLoader,
  repositoryImagesLoader,
  repositoryLoader,
  repositoryScanningLoader,
  repositoryUsersLoader,
} from './loaders';
import { AppLayout, rootLoader } from './routes/app-layout';
import { PageFallback } from './routes/page-fallback';
import { NotFound } from './routes/not-found';
import { RouteError } from './routes/route-error';

/** What a lazy route module exports: its page. Loaders are in ./loaders, in the main bundle. */
export interface RouteModule {
  Component: ComponentType;
}

/**
 * The console's routes, for the browser's router and the server's first render alike.
 * React Router decides *when* to load (each `loader` calls `queryClient.ensureQueryData`
 * with the same query options its page reads), TanStack Query decides *what*. Pages are
 * lazy modules, loaders are not (so data and page chunk load in parallel); every route
 * has an error element.
 */
export function createRoutes(queryClient: QueryClient): RouteObject[] {
  const lazy = (load: () => Promise<RouteModule>) => async () => ({ Component: (await load()).Component });
  const errorElement = <RouteError />;

  return [
    {
      path: '/login',
      lazy: lazy(() => import('./routes/login')),
      errorElement,
      HydrateFallback: PageFallback,
    },
    {
      path: '/',
      Component: AppLayout,
      loader: rootLoader(queryClient),
      errorElement,
      HydrateFallback: PageFallback,
      children: [
        { index: true, loader: () => redirect('/repositories') },
        { path: 'repositories', loader: repositoriesLoader(queryClient), lazy: lazy(() => import('./routes/repositories')), errorElement },
        {
          path: 'repositories/:repository',
          loader: repositoryLoader(queryClient),
          lazy: lazy(() => import('./routes/repository')),
          errorElement,
          children: [
            { index: true, loader: repositoryImagesLoader(queryClient), lazy: lazy(() => import('./routes/repository-images')), errorElement },
            { path: 'users', loader: repositoryUsersLoader(queryClient), lazy: lazy(() => import('./routes/repository-users')), errorElement },
            {
              path: 'deletion-policy',
              loader: repositoryDeletionPolicyLoader(queryClient),
              lazy: lazy(() => import('./routes/repository-deletion-policy')),
              errorElement,
            },
            { path: 'scanning', loader: repositoryScanningLoader(queryClient), lazy: lazy(() => import('./routes/repository-scanning')), errorElement },
          ],
        },
        // Image names may contain `/`: the splat is the whole name.
        { path: 'repositories/:repository/images/*', loader: imageLoader(queryClient), lazy: lazy(() => import('./routes/image')), errorElement },
        // An artifact's scan results; the image name (the splat) comes last for the same reason.
        // Its filters and tabs (the query) are the page's own queries: a checkbox ticks at once,
        // the list follows, instead of both waiting for the loader.
        {
          path: 'repositories/:repository/scans/:digest/*',
          loader: artifactScanLoader(queryClient),
          shouldRevalidate: ({ currentUrl, nextUrl, defaultShouldRevalidate }) => currentUrl.pathname !== nextUrl.pathname && defaultShouldRevalidate,
          lazy: lazy(() => import('./routes/artifact-scan')),
          errorElement,
        },
        { path: 'registries', loader: registriesLoader(queryClient), lazy: lazy(() => import('./routes/registries')), errorElement },
        { path: 'registries/:registry', loader: registryLoader(queryClient), lazy: lazy(() => import('./routes/registry')), errorElement },
        // An external registry's content, read-only; the image name (the splat) may contain `/`.
        {
          path: 'registries/:registry/repositories/:repository',
          loader: registryRepositoryLoader(queryClient),
          lazy: lazy(() => import('./routes/registry-repository')),
          errorElement,
        },
        {
          path: 'registries/:registry/repositories/:repository/images/*',
          loader: registryImageLoader(queryClient),
          lazy: lazy(() => import('./routes/registry-image')),
          errorElement,
        },
        { path: '*', Component: NotFound },
      ],
    },
  ];
}

/**
 * The browser's router over `routes`. After a server render, `hydrationData` carries the
 * loaders' results, so the router starts initialized and runs no loader again.
 */
export function createRouter(routes: RouteObject[], hydrationData?: HydrationState) {
  return createBrowserRouter(routes, { hydrationData });
}

export type AppRouter = ReturnType<typeof createRouter>;
