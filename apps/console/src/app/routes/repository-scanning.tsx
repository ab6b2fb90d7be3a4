import { useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { artifactKeys } from '@/features/artifacts/api/keys';
import { RepositoryScanDefaults } from '@/features/scans/components/repository-scan-defaults';
import { tagKeys } from '@/features/tags/api/keys';
import { useCanEdit } from '../session';

/** The Scanning tab of a repository: the default scan settings and pull restriction its images inherit. */
export function Component() {
  const repository = useParams().repository ?? '';
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  // A default changes the counts and refusals the inheriting images' tag and artifact rows show.
  const refresh = () => Promise.all([tagKeys.lists(), artifactKeys.lists()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  return <RepositoryScanDefaults repository={repository} canEdit={canEdit} onChanged={refresh} />;
}
