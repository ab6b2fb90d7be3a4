import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RepositoryUser, UpdateRepositoryUserRequest } from '@berth/api';
import { api, seg } from '@/lib/api-client';
import { repositoryUserKeys } from './keys';

/** PATCH /repositories/{repository}/users/{user} (admin): disable/enable, expiry, permission. */
export function updateRepositoryUser(repository: string, user: string, body: UpdateRepositoryUserRequest): Promise<RepositoryUser> {
  return api.patch(`/repositories/${seg(repository)}/users/${seg(user)}`, body);
}

export function useUpdateRepositoryUser(repository: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ user, body }: { user: string; body: UpdateRepositoryUserRequest }) => updateRepositoryUser(repository, user, body),
    onSuccess: (updated) => {
      queryClient.setQueryData<RepositoryUser[]>(repositoryUserKeys.list(repository), (users) =>
        users?.map((u) => (u.name === updated.name ? updated : u)),
      );
      return queryClient.invalidateQueries({ queryKey: repositoryUserKeys.list(repository) });
    },
  });
}
