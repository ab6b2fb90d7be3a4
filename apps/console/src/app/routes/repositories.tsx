import { useTranslation } from '@/lib/use-translation';
import { PageHeader } from '@/components/ui/page-header';
import { RepositoriesList } from '@/features/repositories/components/repositories-list';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useCanEdit } from '../session';

/** /repositories: every repository, filterable; admins create new ones. */
export function Component() {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  useDocumentTitle(t('repositories.title'));
  return (
    <div className="page">
      <PageHeader title={t('repositories.title')}>
        <p className="muted">{t('repositories.intro')}</p>
      </PageHeader>
      <RepositoriesList canCreate={canEdit} />
    </div>
  );
}
