/** Query keys of the registries feature, generic to specific. */
export const registryKeys = {
  all: ['registries'] as const,
  lists: () => [...registryKeys.all, 'list'] as const,
  list: (q = '') => [...registryKeys.lists(), q] as const,
  details: () => [...registryKeys.all, 'detail'] as const,
  detail: (name: string) => [...registryKeys.details(), name] as const,
  /** What Berth reads of an external registry: its repositories, images and tags. */
  browse: (name: string) => [...registryKeys.all, 'browse', name] as const,
  repositories: (name: string, q: string) => [...registryKeys.browse(name), 'repositories', q] as const,
  images: (name: string, repository: string, q: string) => [...registryKeys.browse(name), 'images', repository, q] as const,
  tags: (name: string, repository: string, image: string) => [...registryKeys.browse(name), 'tags', repository, image] as const,
  manifest: (name: string, repository: string, image: string, reference: string) => [...registryKeys.browse(name), 'manifest', repository, image, reference] as const,
};
