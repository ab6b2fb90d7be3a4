import { useParams } from 'react-router';
import { ImagesList } from '@/features/images/components/images-list';
import { usePublicHost } from '../session';

/** The Images tab of a repository. */
export function Component() {
  const repository = useParams().repository ?? '';
  const publicHost = usePublicHost();
  return <ImagesList repository={repository} publicHost={publicHost} />;
}
