import { OciError } from '@berth/oci';
import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { pageOf, pageQuery } from '../v2-paging.ts';

/**
 * `tags/list` from Berth's store, with `n`/`last` paging and a `Link` to the next page, on
 * every upstream alike — as `_catalog` is. Distribution 2.8 ignores `n` and `last` and
 * sends every tag unsorted; answering from the store gives one behaviour (byte-ordered, paged)
 * whatever the registry, costs one indexed read instead of a walk of the registry's tag
 * directories, and lists what Berth lists in the console. Tags pushed to the registry
 * around Berth appear once reconciliation has imported them.
 */
export function tagsList(deps: FrontDoorDeps): Handler {
  return async ({ req, res, target }) => {
    if (target.kind !== 'tags') throw new Error('tagsList serves tags/list targets only');
    const query = pageQuery(new URL(req.originalUrl, 'http://berth').searchParams);
    const repositoryId = await deps.store.repositories.id(target.repository);
    const image = repositoryId === null ? null : await deps.store.images.get(repositoryId, target.image);
    if (!image) throw new OciError('NAME_UNKNOWN', 'repository name not known to registry', { name: target.name });
    // One more than asked tells whether another page follows.
    const names = query.n === 0 ? [] : await deps.store.images.tagNames(image.id, query.n === null ? null : query.n + 1, query.last);
    const page = pageOf(names, query, `/v2/${target.name}/tags/list`);
    if (page.link) res.setHeader('link', page.link);
    res.status(200).json({ name: target.name, tags: page.items });
  };
}
