import type { Request, Response } from 'express';
import type { Store } from '@berth/store';
import type { Identity } from '../../services/identity.ts';

/** `_catalog` from Berth's store: only the images the caller may see, with `n`/`last` paging. */
export async function catalog(req: Request, res: Response, identity: Identity, store: Store): Promise<void> {
  const n = Math.min(Math.max(Number(req.query.n ?? 100) || 100, 1), 1000);
  const last = typeof req.query.last === 'string' ? req.query.last : undefined;
  let ids: number[] | null = null;
  if (identity.kind === 'repository-user') {
    const id = await store.repositories.id(identity.repository);
    ids = id === null ? [] : [id];
  }
  const names = await store.images.catalog(ids, n, last);
  if (names.length === n) {
    res.setHeader('link', `</v2/_catalog?n=${n}&last=${encodeURIComponent(names[names.length - 1]!)}>; rel="next"`);
  }
  res.json({ repositories: names });
}
