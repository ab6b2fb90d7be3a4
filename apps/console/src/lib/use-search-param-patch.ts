import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Updates some URL search params and keeps the others. Empty or `null` values are removed,
 * so the URL shows only what differs from the defaults. `push` adds a history entry
 * (sorting); the default replaces it (typing in a filter).
 */
export function useSearchParamPatch() {
  const [, setSearchParams] = useSearchParams();
  return useCallback(
    (patch: Record<string, string | null | undefined>, options: { push?: boolean } = {}) => {
      setSearchParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
            if (value === null || value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: !options.push, preventScrollReset: true },
      );
    },
    [setSearchParams],
  );
}
