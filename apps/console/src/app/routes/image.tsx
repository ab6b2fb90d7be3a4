import type { QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { data, useParams, type LoaderFunctionArgs, type Params } from 'react-router';
import { CommandLine } from '@/components/ui/command-line';
import { PageHeader } from '@/components/ui/page-header';
import { artifactsQueryOptions, parseArtifactFilters } from '@/features/artifacts/api/get-artifacts';
import { ArtifactsList } from '@/features/artifacts/components/artifacts-list';
import { imageQueryOptions } from '@/features/images/api/get-image';
import { ImageSummary } from '@/features/images/components/image-summary';
import { usePublicHost } from '@/features/registries/api/get-registries';
import { paths } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';

/** The image name is the splat (it may contain `/`), without a trailing slash. */
function imageName(params: Params): string {
  return (params['*'] ?? '').replace(/\/+$/, '');
}

export const loader =
  (queryClient: QueryClient) =>
  async ({ params, request }: LoaderFunctionArgs) => {
    const repository = params.repository ?? '';
    const image = imageName(params);
    if (!image) throw data(null, { status: 404 });
    const filters = parseArtifactFilters(new URL(request.url).searchParams);
    // The first rows need two requests; the registry host for the pull command comes after.
    await Promise.all([
      queryClient.ensureQueryData(imageQueryOptions(repository, image)),
      queryClient.ensureInfiniteQueryData(artifactsQueryOptions(repository, image, filters)),
    ]);
    return null;
  };

/** /repositories/:repository/images/<name…>: the image summary and its artifacts. */
export function Component() {
  const { t } = useTranslation();
  const params = useParams();
  const repository = params.repository ?? '';
  const image = imageName(params);
  const host = usePublicHost();
  useDocumentTitle(`${repository}/${image}`);
  return (
    <div className="page">
      <PageHeader
        title={image}
        breadcrumbLabel={t('nav.breadcrumb')}
        crumbs={[
          { label: t('nav.repositories'), to: paths.repositories },
          { label: repository, to: paths.repository(repository) },
          { label: image },
        ]}
      >
        {host && <CommandLine label={t('images.pullCommand')} command={`docker pull ${host}/${repository}/${image}`} copyLabel={t('images.copyPullCommand')} />}
      </PageHeader>
      <ImageSummary repository={repository} name={image} />
      <ArtifactsList repository={repository} image={image} publicHost={host} />
    </div>
  );
}
