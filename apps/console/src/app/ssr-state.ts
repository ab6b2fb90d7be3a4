import type { DehydratedState } from '@tanstack/react-query';
import type { HydrationState } from 'react-router';
import { isLanguage, type Language } from '@/lib/i18n';

/** The id of the `<script type="application/json">` block a server-rendered page carries. */
export const SSR_STATE_ID = 'berth-state';

/** What the server's first render hands the browser: the data it rendered with. */
export interface SsrState {
  language: Language;
  /** The query cache, dehydrated (the session and the page's lists). */
  queries: DehydratedState;
  /** The loaders' results, so the browser's router starts initialized. */
  router: HydrationState;
}

/**
 * The state as JSON for a non-executed `<script type="application/json">` block (allowed by
 * the console's CSP): every `<` is escaped, so no `</script>` or `<!--` in the data can end it.
 */
export function serializeSsrState(state: SsrState): string {
  return JSON.stringify(state).replace(/</g, '\\u003c');
}

/** The server's state in this page, or `null` (a page the server did not render, or a broken block). */
export function readSsrState(doc: Document): SsrState | null {
  const text = doc.getElementById(SSR_STATE_ID)?.textContent;
  if (!text) return null;
  try {
    const state = JSON.parse(text) as Partial<SsrState>;
    if (!isLanguage(state.language) || !state.queries || !state.router) return null;
    return state as SsrState;
  } catch {
    return null;
  }
}
