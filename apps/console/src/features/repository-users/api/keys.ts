/** Query keys of the repository-users feature. */
export const repositoryUserKeys = {
  all: ['repository-users'] as const,
  lists: () => [...repositoryUserKeys.all, 'list'] as const,
  list: (repository: string) => [...repositoryUserKeys.lists(), repository] as const,
};
