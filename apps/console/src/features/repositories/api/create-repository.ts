import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateRepositoryRequest, Repository } from '@berth/api';
import { api } from '@/lib/api-client';
import { repositoryKeys } from './keys';

/** POST /repositories (admin). */
export function createRepository(body: CreateRepositoryRequest): Promise<Repository> {
  return api.post('/repositories', body);
}

/** Creates a repository; the dialog shows errors inline. Lists refetch, the detail is primed. */
export function useCreateRepository() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createRepository,
    meta: { errorToast: false },
    onSuccess: (repository) => {
      queryClient.setQueryData(repositoryKeys.detail(repository.name), repository);
      return queryClient.invalidateQueries({ queryKey: repositoryKeys.lists() });
    },
  });
}
