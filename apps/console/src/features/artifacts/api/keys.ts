import type { ListArtifactsQuery } from '@berth/api';

export type ArtifactSort = ListArtifactsQuery['sort'];

/** Sort and tag filter of an artifact list, as kept in the URL. */
export interface ArtifactListFilters {
  sort: ArtifactSort;
  order: ListArtifactsQuery['order'];
  /** Tag name substring. */
  q: string;
}

/** Query keys of the artifacts feature, generic to specific. */
export const artifactKeys = {
  all: ['artifacts'] as const,
  lists: () => [...artifactKeys.all, 'list'] as const,
  list: (repository: string, image: string, filters: ArtifactListFilters) =>
    [...artifactKeys.lists(), repository, image, filters] as const,
  manifests: () => [...artifactKeys.all, 'manifest'] as const,
  manifest: (repository: string, image: string, reference: string) => [...artifactKeys.manifests(), repository, image, reference] as const,
  configs: () => [...artifactKeys.all, 'config'] as const,
  config: (repository: string, image: string, reference: string) => [...artifactKeys.configs(), repository, image, reference] as const,
};
