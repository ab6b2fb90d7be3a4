import { Suspense, type ReactNode } from 'react';
import { useLive } from '@/lib/use-live';

/**
 * A lazily loaded part (a dialog's code) rendered in the browser only. The server's render
 * cannot wait for a lazy module, so it leaves such parts out, and so does hydration; they
 * appear right after, when the page is live. Pages rendered in the browser alone show them at once.
 */
export function ClientSuspense({ children }: { children: ReactNode }) {
  return useLive() ? <Suspense fallback={null}>{children}</Suspense> : null;
}
