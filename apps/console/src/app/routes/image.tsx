import type { QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { data, useLocation, useParams, useSearchParams, type LoaderFunctionArgs, type Params } from 'react-router';
import { CommandLine } from '@/components/ui/command-line';
import { PageHeader } from '@/components/ui/page-header';
import { LinkTabs, TabPanel } from '@/components/ui/tabs';
import { artifactsQueryOptions, parseArtifactFilters } from '@/features/artifacts/api/get-artifacts';
import { ArtifactsList } from '@/features/artifacts/components/artifacts-list';
import { imageQueryOptions } from '@/features/images/api/get-image';
import { ImageDetailsPanel } from '@/features/images/components/image-details-panel';
import { ImageSummary } from '@/features/images/components/image-summary';
import { useRegistries } from '@/features/registries/api/get-registries';
import { paths } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useCanEdit, usePublicHost } from '../session';

/** The image name is the splat (it may contain `/`), without a trailing slash. */
function imageName(params: Params): string {
  return (params['*'] ?? '').replace(/\/+$/, '');
}

/** The tab is in `?tab=` (image names take the whole path): Artifacts by default, or Details. */
type ImageTab = 'artifacts' | 'details';
const tabOf = (params: URLSearchParams): ImageTab => (params.get('tab') === 'details' ? 'details' : 'artifacts');

export const loader =
  (queryClient: QueryClient) =>
  async ({ params, request }: LoaderFunctionArgs) => {
    const repository = params.repository ?? '';
    const image = imageName(params);
    if (!image) throw data(null, { status: 404 });
    const search = new URL(request.url).searchParams;
    // The first rows need two requests; the registry host for the pull command comes after.
    await Promise.all([
      queryClient.ensureQueryData(imageQueryOptions(repository, image)),
      tabOf(search) === 'artifacts' ? queryClient.ensureInfiniteQueryData(artifactsQueryOptions(repository, image, parseArtifactFilters(search))) : null,
    ]);
    return null;
  };

/** /repositories/:repository/images/<name…>: the image at a glance, its artifacts and its details. */
export function Component() {
  const { t } = useTranslation();
  const params = useParams();
  const { pathname } = useLocation();
  const [searchParams] = useSearchParams();
  const repository = params.repository ?? '';
  const image = imageName(params);
  const host = usePublicHost();
  const canEdit = useCanEdit();
  const tab = tabOf(searchParams);
  // The registry's name is shown on the Details tab only: the Artifacts tab's first rows don't wait for it.
  const registries = useRegistries({ enabled: tab === 'details' });
  const managed = registries.data?.find((r) => r.kind === 'managed');
  useDocumentTitle(`${repository}/${image}${tab === 'details' ? ` · ${t('imageDetails.tabDetails')}` : ''}`);

  const tabLink = (next: ImageTab) => {
    const search = new URLSearchParams(searchParams);
    search.delete('artifact');
    if (next === 'details') search.set('tab', 'details');
    else search.delete('tab');
    const qs = search.toString();
    return `${pathname}${qs ? `?${qs}` : ''}`;
  };

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
      <LinkTabs
        label={t('imageDetails.sections')}
        idPrefix="image"
        tabs={[
          { to: tabLink('artifacts'), label: t('imageDetails.tabArtifacts'), selected: tab === 'artifacts' },
          { to: tabLink('details'), label: t('imageDetails.tabDetails'), selected: tab === 'details' },
        ]}
      />
      <TabPanel idPrefix="image" activeIndex={tab === 'details' ? 1 : 0}>
        {tab === 'details' ? (
          <ImageDetailsPanel
            repository={repository}
            name={image}
            registry={managed ? `${managed.name} · ${managed.publicHost || window.location.host}` : undefined}
            canEdit={canEdit}
          />
        ) : (
          <ArtifactsList repository={repository} image={image} publicHost={host} />
        )}
      </TabPanel>
    </div>
  );
}
