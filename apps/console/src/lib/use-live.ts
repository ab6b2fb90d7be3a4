import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/**
 * `false` in the server's render and while the browser hydrates it, `true` from then on
 * (and at once for a page the browser renders itself): for what only a live page needs.
 */
export function useLive(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
