import { useTranslation } from '@/lib/use-translation';
import { useLocation, useParams, useSearchParams } from 'react-router';
import { CommandLine } from '@/components/ui/command-line';
import { PageHeader } from '@/components/ui/page-header';
import { LinkTabs, TabPanel } from '@/components/ui/tabs';
import { ArtifactsList } from '@/features/artifacts/components/artifacts-list';
import { ImageDetailsPanel } from '@/features/images/components/image-details-panel';
import { ImageSummary } from '@/features/images/components/image-summary';
import { useRegistries } from '@/features/registries/api/get-registries';
import { paths } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';
import { imageName, tabOf, type ImageTab } from '../loaders';
import { useCanEdit, usePublicHost } from '../session';

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
            registry={managed && { name: managed.name, host: managed.publicHost || host || '' }}
            canEdit={canEdit}
          />
        ) : (
          <ArtifactsList repository={repository} image={image} publicHost={host} />
        )}
      </TabPanel>
    </div>
  );
}
