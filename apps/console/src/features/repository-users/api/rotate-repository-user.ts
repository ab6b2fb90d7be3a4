import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RepositoryUserWithSecret } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { repositoryUserKeys } from './keys';

/** POST /repositories/{repository}/users/{user}/rotate (admin): a new secret, shown once. */
export function rotateRepositoryUser(repository: string, user: string): Promise<RepositoryUserWithSecret> {
  return api.post(`/repositories/${seg(repository)}/users/${seg(user)}/rotate`);
}

export function useRotateRepositoryUser(repository: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: string) => rotateRepositoryUser(repository, user),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: repositoryUserKeys.list(repository) }),
  });
}
