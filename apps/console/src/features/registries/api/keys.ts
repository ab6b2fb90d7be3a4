/** Query keys of the registries feature, generic to specific. */
export const registryKeys = {
  all: ['registries'] as const,
  list: () => [...registryKeys.all, 'list'] as const,
  details: () => [...registryKeys.all, 'detail'] as const,
  detail: (name: string) => [...registryKeys.details(), name] as const,
};
