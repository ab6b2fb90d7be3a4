import { useCallback, useMemo } from 'react';
import type { OnChangeFn, SortingState } from '@tanstack/react-table';
import { useSearchParamPatch } from './use-search-param-patch';

export interface UrlSort<S extends string> {
  sort: S;
  order: 'asc' | 'desc';
}

/**
 * Binds a TanStack Table's (server-side, single-column) sorting to `?sort=&order=`.
 * Defaults are left out of the URL; each change is a history entry.
 */
export function useUrlSorting<S extends string>(current: UrlSort<S>, defaults: UrlSort<S>) {
  const patch = useSearchParamPatch();
  const sorting = useMemo<SortingState>(() => [{ id: current.sort, desc: current.order === 'desc' }], [current.sort, current.order]);
  const onSortingChange = useCallback<OnChangeFn<SortingState>>(
    (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (!first) return;
      const sort = first.id as S;
      const order = first.desc ? 'desc' : 'asc';
      const isDefault = sort === defaults.sort && order === defaults.order;
      patch({ sort: isDefault ? null : sort, order: isDefault ? null : order }, { push: true });
    },
    [sorting, patch, defaults.sort, defaults.order],
  );
  return { sorting, onSortingChange };
}
