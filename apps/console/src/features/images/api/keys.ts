import type { ListImagesQuery } from '@berth/api';

export type ImageSort = ListImagesQuery['sort'];
export type SortOrder = ListImagesQuery['order'];

/** Sort and filter of an image list, as kept in the URL. */
export interface ImageListFilters {
  sort: ImageSort;
  order: SortOrder;
  /** Image name substring. */
  q: string;
}

/** Query keys of the images feature, generic to specific. */
export const imageKeys = {
  all: ['images'] as const,
  lists: () => [...imageKeys.all, 'list'] as const,
  list: (repository: string, filters: ImageListFilters) => [...imageKeys.lists(), repository, filters] as const,
  details: () => [...imageKeys.all, 'detail'] as const,
  detail: (repository: string, name: string) => [...imageKeys.details(), repository, name] as const,
};
