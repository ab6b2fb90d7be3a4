import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateRepositoryUserRequest, RepositoryUserWithSecret } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { repositoryUserKeys } from './keys';

/** POST /repositories/{repository}/users (admin): the answer carries the secret, once. */
export function createRepositoryUser(repository: string, body: CreateRepositoryUserRequest): Promise<RepositoryUserWithSecret> {
  return api.post(`/repositories/${seg(repository)}/users`, body);
}

export function useCreateRepositoryUser(repository: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRepositoryUserRequest) => createRepositoryUser(repository, body),
    meta: { errorToast: false },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: repositoryUserKeys.list(repository) }),
  });
}
