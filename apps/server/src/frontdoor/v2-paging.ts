import { OciError } from '@berth/oci';

/** The `n` and `last` of a `tags/list` request: `n` null when not given (every name), `last` undefined when not given. */
export interface PageQuery {
  n: number | null;
  last: string | undefined;
}

/**
 * Reads `n` and `last` as the distribution spec has them: `n` a non-negative integer
 * (anything else is a 400), `last` the name the page starts after (exclusive; it need not
 * exist). An empty `last` is no `last`.
 */
export function pageQuery(query: URLSearchParams): PageQuery {
  const raw = query.get('n');
  const last = query.get('last') || undefined;
  if (raw === null) return { n: null, last };
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new OciError('UNSUPPORTED', 'n must be a non-negative integer', { n: raw }, 400);
  }
  return { n: Number(raw), last };
}

/**
 * One page of `names` (sorted, read with one more than `n` to tell whether more follow)
 * and, while more follow, the `Link` header to the next page at `path`.
 */
export function pageOf(names: readonly string[], query: PageQuery, path: string): { items: string[]; link: string | null } {
  if (query.n === null) return { items: [...names], link: null };
  const items = names.slice(0, query.n);
  const last = items[items.length - 1];
  if (names.length <= query.n || last === undefined) return { items, link: null };
  const next = new URLSearchParams({ n: String(query.n), last });
  return { items, link: `<${path}?${next.toString()}>; rel="next"` };
}
