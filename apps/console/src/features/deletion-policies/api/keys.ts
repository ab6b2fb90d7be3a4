/** Query keys of the deletion-policies feature, generic to specific. */
export const policyKeys = {
  all: ['deletion-policies'] as const,
  images: () => [...policyKeys.all, 'image'] as const,
  image: (repository: string, image: string) => [...policyKeys.images(), repository, image] as const,
  repositories: () => [...policyKeys.all, 'repository'] as const,
  repository: (repository: string) => [...policyKeys.repositories(), repository] as const,
  tests: () => [...policyKeys.all, 'test'] as const,
  test: (repository: string, image: string) => [...policyKeys.tests(), repository, image] as const,
};
