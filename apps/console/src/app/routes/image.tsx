import { lazy } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from '@/lib/use-translation';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { CommandLine } from '@/components/ui/command-line';
import { PageHeader } from '@/components/ui/page-header';
import { LinkTabs, TabPanel } from '@/components/ui/tabs';
import { artifactKeys } from '@/features/artifacts/api/keys';
import { ArtifactsList } from '@/features/artifacts/components/artifacts-list';
import { policyKeys } from '@/features/deletion-policies/api/keys';
import { useImage } from '@/features/images/api/get-image';
import { imageKeys } from '@/features/images/api/keys';
import { DeleteImageSection } from '@/features/images/components/delete-image';
import { ImageDetailsPanel } from '@/features/images/components/image-details-panel';
import { ImageSummary } from '@/features/images/components/image-summary';
import { useRegistries } from '@/features/registries/api/get-registries';
import { repositoryKeys } from '@/features/repositories/api/keys';
import { scanKeys } from '@/features/scans/api/keys';
import { useRequestArtifactScan } from '@/features/scans/api/request-artifact-scan';
import { ImageScanBar } from '@/features/scans/components/image-scan-bar';
import { scanRequestError } from '@/features/scans/components/scan-error';
import { ScanOverviewCell } from '@/features/scans/components/scan-overview-cell';
import { scanPath } from '@/features/scans/components/scan-path';
import { tagKeys } from '@/features/tags/api/keys';
import type { TagExtraAction } from '@/features/tags/components/tag-actions-menu';
import { shortDigest } from '@/lib/format';
import { paths } from '@/lib/paths';
import { toast } from '@/lib/toast';
import { useDocumentTitle } from '@/lib/use-document-title';
import { IMAGE_TABS, imageName, tabOf, type ImageTab } from '../loaders';
import { useCanEdit, usePublicHost } from '../session';

// The tabs and sections other than the first are code of their own, loaded when shown.
const TagsList = lazy(() => import('@/features/tags/components/tags-list').then((m) => ({ default: m.TagsList })));
const PolicyTestPanel = lazy(() => import('@/features/deletion-policies/components/policy-test-panel').then((m) => ({ default: m.PolicyTestPanel })));
const ImageDeletionPolicySection = lazy(() =>
  import('@/features/deletion-policies/components/image-deletion-policy').then((m) => ({ default: m.ImageDeletionPolicySection })),
);
const ImageScanSettingsSection = lazy(() => import('@/features/scans/components/image-scan-settings').then((m) => ({ default: m.ImageScanSettingsSection })));
const ImagePullRestrictionSection = lazy(() =>
  import('@/features/scans/components/image-pull-restriction').then((m) => ({ default: m.ImagePullRestrictionSection })),
);

const TAB_LABELS = {
  artifacts: 'imageDetails.tabArtifacts',
  tags: 'imageDetails.tabTags',
  details: 'imageDetails.tabDetails',
  'policy-test': 'imageDetails.tabPolicyTest',
} as const satisfies Record<ImageTab, string>;

/** /repositories/:repository/images/<name…>: the image at a glance; its artifacts, tags, details and policy test. */
export function Component() {
  const { t } = useTranslation();
  const params = useParams();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [searchParams] = useSearchParams();
  const repository = params.repository ?? '';
  const image = imageName(params);
  const host = usePublicHost();
  const canEdit = useCanEdit();
  const tab = tabOf(searchParams);
  const loaded = useImage(repository, image).data;
  const locked = loaded?.locked ?? false;
  // The registry's name is shown on the Details tab only: the Artifacts tab's first rows don't wait for it.
  // The managed registry is always listed first: the first page has it.
  const registries = useRegistries('', { enabled: tab === 'details' });
  const managed = registries.data?.pages[0]?.items.find((r) => r.kind === 'managed');
  useDocumentTitle(`${repository}/${image}${tab === 'artifacts' ? '' : ` · ${t(TAB_LABELS[tab])}`}`);

  // A lock, a delete or a policy run changes what every tab shows of the image (features do not know each other).
  const refreshImage = () =>
    Promise.all(
      [imageKeys.detail(repository, image), imageKeys.lists(), artifactKeys.lists(), tagKeys.image(repository, image), policyKeys.test(repository, image)].map(
        (queryKey) => queryClient.invalidateQueries({ queryKey }),
      ),
    );
  // Scan settings, a pull restriction or a requested check change the tag rows' scan column.
  const refreshScans = () => Promise.all([tagKeys.image(repository, image), artifactKeys.lists()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  const scanArtifact = useRequestArtifactScan(repository, image, { onChanged: refreshScans });
  const scanActions = (tag: { name: string; digest: string }): TagExtraAction[] => [
    { id: 'scan-results', label: t('scans.action.results'), onSelect: () => void navigate(scanPath(repository, image, tag.digest)) },
    ...(canEdit
      ? [
          {
            id: 'scan',
            label: t('scans.action.check'),
            onSelect: () =>
              scanArtifact.mutate(tag.digest, {
                onSuccess: () => toast.success(t('scans.artifactQueued', { digest: `${tag.name} (${shortDigest(tag.digest)})` })),
                onError: (error) => toast.error(scanRequestError(t, error)),
              }),
          },
        ]
      : []),
  ];

  // The image is gone: back to its repository, then forget what was kept of it.
  const onImageDeleted = async () => {
    await navigate(paths.repository(repository));
    for (const queryKey of [imageKeys.detail(repository, image), tagKeys.image(repository, image), policyKeys.image(repository, image), scanKeys.image(repository, image)]) {
      queryClient.removeQueries({ queryKey });
    }
    await Promise.all([artifactKeys.lists(), imageKeys.lists(), repositoryKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  };

  const tabLink = (next: ImageTab) => {
    const search = new URLSearchParams(searchParams);
    // Each list has its own sort and filter; the artifact window belongs to the Artifacts tab.
    for (const key of ['artifact', 'sort', 'order', 'q']) search.delete(key);
    if (next === 'artifacts') search.delete('tab');
    else search.set('tab', next);
    const qs = search.toString();
    return `${pathname}${qs ? `?${qs}` : ''}`;
  };

  let panel;
  if (tab === 'details') {
    panel = (
      <div className="details-stack">
        <ImageDetailsPanel
          repository={repository}
          name={image}
          registry={managed && { name: managed.name, host: managed.publicHost || host || '' }}
          canEdit={canEdit}
        />
        <ClientSuspense>
          <ImageDeletionPolicySection repository={repository} image={image} canEdit={canEdit} />
        </ClientSuspense>
        <ClientSuspense>
          <ImageScanSettingsSection repository={repository} image={image} canEdit={canEdit} onChanged={refreshScans} />
        </ClientSuspense>
        <ClientSuspense>
          <ImagePullRestrictionSection repository={repository} image={image} canEdit={canEdit} onChanged={refreshScans} />
        </ClientSuspense>
        {canEdit && loaded && <DeleteImageSection repository={repository} image={loaded} onDeleted={onImageDeleted} />}
      </div>
    );
  } else if (tab === 'tags') {
    panel = (
      <div className="details-stack">
        <ImageScanBar repository={repository} image={image} canEdit={canEdit} onChanged={refreshScans} />
        <ClientSuspense>
          <TagsList
            repository={repository}
            image={image}
            publicHost={host}
            canEdit={canEdit}
            imageLocked={locked}
            onChanged={refreshImage}
            scanColumn={{
              header: t('scans.column'),
              cell: (tag) => (
                <ScanOverviewCell scan={tag.scan} to={scanPath(repository, image, tag.digest)} subject={`${image}:${tag.name}`} />
              ),
            }}
            extraActions={scanActions}
          />
        </ClientSuspense>
      </div>
    );
  } else if (tab === 'policy-test') {
    panel = (
      <ClientSuspense>
        <PolicyTestPanel repository={repository} image={image} canEdit={canEdit} onChanged={refreshImage} />
      </ClientSuspense>
    );
  } else {
    panel = <ArtifactsList repository={repository} image={image} publicHost={host} canEdit={canEdit} imageLocked={locked} onChanged={refreshImage} />;
  }

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
        tabs={IMAGE_TABS.map((id) => ({ to: tabLink(id), label: t(TAB_LABELS[id]), selected: tab === id }))}
      />
      <TabPanel idPrefix="image" activeIndex={IMAGE_TABS.indexOf(tab)}>
        {panel}
      </TabPanel>
    </div>
  );
}
