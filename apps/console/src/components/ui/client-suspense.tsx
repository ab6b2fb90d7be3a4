import { Suspense, useSyncExternalStore, type ReactNode } from 'react';

const noSubscription = () => () => {};

/**
 * A lazily loaded part (a dialog's code) rendered in the browser only. The server's render
 * cannot wait for a lazy module, so it leaves such parts out, and so does hydration (React
 * reads the server's answer, `false`, while hydrating); they appear right after, when the
 * page is live. Pages rendered in the browser alone show them at once.
 */
export function ClientSuspense({ children }: { children: ReactNode }) {
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return inBrowser ? <Suspense fallback={null}>{children}</Suspense> : null;
}
