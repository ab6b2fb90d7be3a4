import { OciError } from '@berth/oci';
import type { Store } from '@berth/store';
import type { Check } from '../context.ts';

/** Nothing reaches the registry for a repository Berth does not know: it must be created first. */
export function repositoryExists(store: Store): Check {
  return async ({ target }) => {
    if ((await store.repositories.id(target.repository)) !== null) return null;
    return new OciError('NAME_UNKNOWN', `repository ${target.repository} does not exist in Berth; create it first`, { repository: target.repository });
  };
}
