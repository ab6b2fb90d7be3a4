import { useTranslation } from '@/lib/use-translation';
import { Outlet, useMatch, useParams } from 'react-router';
import { PageHeader } from '@/components/ui/page-header';
import { LinkTabs, TabPanel } from '@/components/ui/tabs';
import { useRepository } from '@/features/repositories/api/get-repository';
import { formatNumber } from '@/lib/format';
import { paths } from '@/lib/paths';
import { RelativeTime } from '@/components/ui/relative-time';
import { useDocumentTitle } from '@/lib/use-document-title';

/** /repositories/:repository: the repository's header and its Images, Users, Deletion policy and Scanning tabs. */
export function Component() {
  const { t, i18n } = useTranslation();
  const repository = useParams().repository ?? '';
  const { data } = useRepository(repository);
  const onUsers = useMatch('/repositories/:repository/users') !== null;
  const onPolicy = useMatch('/repositories/:repository/deletion-policy') !== null;
  const onScanning = useMatch('/repositories/:repository/scanning') !== null;
  const tabLabel = onUsers ? t('repositories.tabUsers') : onPolicy ? t('repositories.tabPolicy') : onScanning ? t('scans.repositoryTab') : t('repositories.tabImages');
  useDocumentTitle(`${repository} · ${tabLabel}`);
  return (
    <div className="page">
      <PageHeader
        title={repository}
        crumbs={[{ label: t('nav.repositories'), to: paths.repositories }, { label: repository }]}
        breadcrumbLabel={t('nav.breadcrumb')}
      >
        {data && (
          <div className="page-meta">
            {data.description ? <p>{data.description}</p> : <p className="muted">{t('repositories.noDescription')}</p>}
            <p className="muted small">
              {t('repositories.meta', { count: data.imageCount, images: formatNumber(data.imageCount, i18n.language), by: data.createdBy })}{' '}
              <RelativeTime value={data.createdAt} />
            </p>
          </div>
        )}
      </PageHeader>
      <LinkTabs
        label={t('repositories.sections')}
        idPrefix="repository"
        tabs={[
          { to: paths.repository(repository), label: t('repositories.tabImages'), end: true },
          { to: paths.repositoryUsers(repository), label: t('repositories.tabUsers') },
          { to: paths.repositoryDeletionPolicy(repository), label: t('repositories.tabPolicy') },
          { to: `${paths.repository(repository)}/scanning`, label: t('scans.repositoryTab') },
        ]}
      />
      <TabPanel idPrefix="repository" activeIndex={onUsers ? 1 : onPolicy ? 2 : onScanning ? 3 : 0}>
        <Outlet />
      </TabPanel>
    </div>
  );
}
