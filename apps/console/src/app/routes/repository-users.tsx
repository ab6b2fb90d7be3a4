import { useParams } from 'react-router';
import { RepositoryUsersPanel } from '@/features/repository-users/components/repository-users-panel';
import { useCanEdit, usePublicHost } from '../session';

/** The Users tab: repository users, and the `docker login` host from the registries. */
export function Component() {
  const repository = useParams().repository ?? '';
  const canEdit = useCanEdit();
  const publicHost = usePublicHost() ?? window.location.host;
  return <RepositoryUsersPanel repository={repository} canManage={canEdit} publicHost={publicHost} />;
}
