/**
 * The server's first render of a console page (built by `vite build --ssr` into
 * dist/.ssr/, loaded by Berth's server). It runs the same routes and loaders as the
 * browser, with the visitor's session forwarded to Berth's own API, renders the page to
 * HTML and hands the browser the data it rendered with, so the first rows are in the
 * HTML and the browser hydrates them without asking for them again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { dehydrate } from '@tanstack/react-query';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router';
import { setTransport, type Transport } from '@/lib/api-client';
import { i18next, isLanguage, LANGUAGE_COOKIE, preferredLanguage, type Language } from '@/lib/i18n';
import { AppProviders } from '@/app/providers';
import { createQueryClient } from '@/app/query-client';
import { createRoutes } from '@/app/router';
import { serializeSsrState, type SsrState } from '@/app/ssr-state';

export interface RenderRequest {
  /** The page's path and query, e.g. `/repositories/team?sort=name`. */
  url: string;
  /** The visitor's `Cookie` header (the language choice is read from it). */
  cookie?: string;
  /** The visitor's `Accept-Language` header. */
  acceptLanguage?: string;
  /** Sends an API request (a `/api/v1/…` path) to Berth with the visitor's session. */
  fetch: Transport;
  signal?: AbortSignal;
}

export type RenderResult =
  /** The page: `html` goes inside `#root`, `state` into the state block, `language` into `<html lang>`. */
  | { kind: 'page'; html: string; state: string; language: Language }
  /** Nothing rendered (a redirect to sign-in, a 404, an error): the browser renders the page itself, as without a server render. */
  | { kind: 'shell' };

// Each render's API calls go out with that render's visitor's session, however renders interleave.
const visitor = new AsyncLocalStorage<Transport>();
setTransport((url, init) => {
  const send = visitor.getStore();
  return send ? send(url, init) : Promise.reject(new Error('an API call outside a server render'));
});

/** The visitor's language: their choice (cookie), else their browser's preference. */
export function languageOf(cookie: string | undefined, acceptLanguage: string | undefined): Language {
  const chosen = (cookie ?? '')
    .split(';')
    .map((pair) => pair.trim().split('='))
    .find(([name]) => name === LANGUAGE_COOKIE)?.[1];
  if (isLanguage(chosen)) return chosen;
  return preferredLanguage((acceptLanguage ?? '').split(',').map((part) => part.split(';')[0] ?? ''));
}

export async function render(req: RenderRequest): Promise<RenderResult> {
  return visitor.run(req.fetch, async () => {
    const queryClient = createQueryClient({ retry: false });
    try {
      const { query, dataRoutes } = createStaticHandler(createRoutes(queryClient));
      const context = await query(new Request(new URL(req.url, 'http://berth.invalid'), { signal: req.signal }));
      if (context instanceof Response || context.errors || context.statusCode !== 200) return { kind: 'shell' };

      const language = languageOf(req.cookie, req.acceptLanguage);
      const i18n = i18next.cloneInstance({ lng: language });
      const html = renderToString(
        <StrictMode>
          <AppProviders queryClient={queryClient} i18n={i18n}>
            <StaticRouterProvider router={createStaticRouter(dataRoutes, context)} context={context} hydrate={false} />
          </AppProviders>
        </StrictMode>,
      );
      const state: SsrState = {
        language,
        queries: dehydrate(queryClient),
        router: { loaderData: context.loaderData, actionData: context.actionData, errors: null },
      };
      return { kind: 'page', html, state: serializeSsrState(state), language };
    } finally {
      queryClient.clear();
    }
  });
}
