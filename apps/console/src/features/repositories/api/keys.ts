/** Filters of the repository list, as kept in the URL. */
export interface RepositoryListFilters {
  /** Name substring. */
  q: string;
}

/** Query keys of the repositories feature, generic to specific. */
export const repositoryKeys = {
  all: ['repositories'] as const,
  lists: () => [...repositoryKeys.all, 'list'] as const,
  list: (filters: RepositoryListFilters) => [...repositoryKeys.lists(), filters] as const,
  details: () => [...repositoryKeys.all, 'detail'] as const,
  detail: (name: string) => [...repositoryKeys.details(), name] as const,
};
