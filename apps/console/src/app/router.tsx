import type { ComponentType } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, redirect, type LoaderFunction } from 'react-router';
import { AppLayout, rootLoader } from './routes/app-layout';
import { PageFallback } from './routes/page-fallback';
import { NotFound } from './routes/not-found';
import { RouteError } from './routes/route-error';

/** What a lazy route module exports: its page, and a loader that is given the QueryClient. */
export interface RouteModule {
  Component: ComponentType;
  loader?: (queryClient: QueryClient) => LoaderFunction;
}

/**
 * The console's routes. React Router decides *when* to load (each `loader` calls
 * `queryClient.ensureQueryData` with the same query options its page reads), TanStack
 * Query decides *what*. Pages are lazy modules; every route has an error element.
 */
export function createRouter(queryClient: QueryClient) {
  const lazy = (load: () => Promise<RouteModule>) => async () => {
    const m = await load();
    return { Component: m.Component, ...(m.loader ? { loader: m.loader(queryClient) } : {}) };
  };
  const errorElement = <RouteError />;

  return createBrowserRouter([
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
        { path: 'repositories', lazy: lazy(() => import('./routes/repositories')), errorElement },
        {
          path: 'repositories/:repository',
          lazy: lazy(() => import('./routes/repository')),
          errorElement,
          children: [
            { index: true, lazy: lazy(() => import('./routes/repository-images')), errorElement },
            { path: 'users', lazy: lazy(() => import('./routes/repository-users')), errorElement },
          ],
        },
        // Image names may contain `/`: the splat is the whole name.
        { path: 'repositories/:repository/images/*', lazy: lazy(() => import('./routes/image')), errorElement },
        { path: '*', Component: NotFound },
      ],
    },
  ]);
}

export type AppRouter = ReturnType<typeof createRouter>;
