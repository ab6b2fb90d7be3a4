import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RepositoryUser } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { repositoryUserKeys } from './keys';

/** DELETE /repositories/{repository}/users/{user} (admin). */
export function deleteRepositoryUser(repository: string, user: string): Promise<void> {
  return api.delete(`/repositories/${seg(repository)}/users/${seg(user)}`);
}

export function useDeleteRepositoryUser(repository: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: string) => deleteRepositoryUser(repository, user),
    onSuccess: (_void, user) => {
      queryClient.setQueryData<RepositoryUser[]>(repositoryUserKeys.list(repository), (users) => users?.filter((u) => u.name !== user));
      return queryClient.invalidateQueries({ queryKey: repositoryUserKeys.list(repository) });
    },
  });
}
