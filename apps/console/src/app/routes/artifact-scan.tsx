import { useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from '@/lib/use-translation';
import { PageHeader } from '@/components/ui/page-header';
import { artifactKeys } from '@/features/artifacts/api/keys';
import { ScanResults } from '@/features/scans/components/scan-results';
import { tagKeys } from '@/features/tags/api/keys';
import { shortDigest } from '@/lib/format';
import { paths } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';
import { imageName } from '../loaders';
import { useCanEdit } from '../session';

/** /repositories/:repository/scans/:digest/<image…>: an artifact's scan, its vulnerabilities and secrets. */
export function Component() {
  const { t } = useTranslation();
  const params = useParams();
  const queryClient = useQueryClient();
  const repository = params.repository ?? '';
  const digest = params.digest ?? '';
  const image = imageName(params);
  const canEdit = useCanEdit();
  const title = t('scans.pageTitle', { digest: shortDigest(digest) });
  useDocumentTitle(`${repository}/${image} · ${title}`);
  // A check asked for here changes the image's tag and artifact rows (features do not know each other).
  const refresh = () => Promise.all([tagKeys.image(repository, image), artifactKeys.lists()].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  return (
    <div className="page">
      <PageHeader
        title={title}
        breadcrumbLabel={t('nav.breadcrumb')}
        crumbs={[
          { label: t('nav.repositories'), to: paths.repositories },
          { label: repository, to: paths.repository(repository) },
          { label: image, to: `${paths.image(repository, image)}?tab=tags` },
          { label: shortDigest(digest) },
        ]}
      />
      <ScanResults repository={repository} image={image} digest={digest} canEdit={canEdit} onChanged={refresh} />
    </div>
  );
}
