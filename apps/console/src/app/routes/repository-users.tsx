import type { QueryClient } from '@tanstack/react-query';
import { useParams, type LoaderFunctionArgs } from 'react-router';
import { repositoryUsersQueryOptions } from '@/features/repository-users/api/get-repository-users';
import { RepositoryUsersPanel } from '@/features/repository-users/components/repository-users-panel';
import { useCanEdit, usePublicHost } from '../session';

export const loader =
  (queryClient: QueryClient) =>
  async ({ params }: LoaderFunctionArgs) => {
    // The registry host (for the login command) is fetched by the page, off the critical path.
    await queryClient.ensureQueryData(repositoryUsersQueryOptions(params.repository ?? ''));
    return null;
  };

/** The Users tab: repository users, and the `docker login` host from the registries. */
export function Component() {
  const repository = useParams().repository ?? '';
  const canEdit = useCanEdit();
  const publicHost = usePublicHost() ?? window.location.host;
  return <RepositoryUsersPanel repository={repository} canManage={canEdit} publicHost={publicHost} />;
}
