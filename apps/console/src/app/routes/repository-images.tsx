import type { QueryClient } from '@tanstack/react-query';
import { useParams, type LoaderFunctionArgs } from 'react-router';
import { imagesQueryOptions, parseImageFilters } from '@/features/images/api/get-images';
import { ImagesList } from '@/features/images/components/images-list';
import { usePublicHost } from '../session';

export const loader =
  (queryClient: QueryClient) =>
  async ({ params, request }: LoaderFunctionArgs) => {
    const filters = parseImageFilters(new URL(request.url).searchParams);
    await queryClient.ensureInfiniteQueryData(imagesQueryOptions(params.repository ?? '', filters));
    return null;
  };

/** The Images tab of a repository. */
export function Component() {
  const repository = useParams().repository ?? '';
  const publicHost = usePublicHost();
  return <ImagesList repository={repository} publicHost={publicHost} />;
}
