import type { ListTagsQuery } from '@berth/api';

export type TagSort = ListTagsQuery['sort'];

/** Sort and name filter of a tag list, as kept in the URL. */
export interface TagListFilters {
  sort: TagSort;
  order: ListTagsQuery['order'];
  /** Tag name substring. */
  q: string;
}

/** Query keys of the tags feature, generic to specific. */
export const tagKeys = {
  all: ['tags'] as const,
  lists: () => [...tagKeys.all, 'list'] as const,
  image: (repository: string, image: string) => [...tagKeys.lists(), repository, image] as const,
  list: (repository: string, image: string, filters: TagListFilters) => [...tagKeys.image(repository, image), filters] as const,
};
