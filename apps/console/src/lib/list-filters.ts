/** Sort, order and text filter of a server-sorted list, as kept in the URL. */
export interface ListFilters<S extends string> {
  sort: S;
  order: 'asc' | 'desc';
  q: string;
}

/** Sort and filter from URL search params (`?sort=pullCount&order=desc&q=web`): what is known, else the defaults. */
export function parseListFilters<S extends string>(params: URLSearchParams, sorts: readonly S[], defaults: ListFilters<S>): ListFilters<S> {
  const sort = params.get('sort');
  const order = params.get('order');
  return {
    sort: sorts.includes(sort as S) ? (sort as S) : defaults.sort,
    order: order === 'asc' || order === 'desc' ? order : defaults.order,
    q: params.get('q')?.trim() ?? '',
  };
}
