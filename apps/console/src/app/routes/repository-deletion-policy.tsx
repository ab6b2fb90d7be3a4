import { useParams } from 'react-router';
import { RepositoryDeletionPolicyPanel } from '@/features/deletion-policies/components/repository-deletion-policy';
import { useCanEdit } from '../session';

/** The Deletion policy tab of a repository: the default its images inherit. */
export function Component() {
  const repository = useParams().repository ?? '';
  const canEdit = useCanEdit();
  return <RepositoryDeletionPolicyPanel repository={repository} canEdit={canEdit} />;
}
