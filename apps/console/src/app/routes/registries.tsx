import { useTranslation } from '@/lib/use-translation';
import { PageHeader } from '@/components/ui/page-header';
import { RegistriesList } from '@/features/registries/components/registries-list';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useCanEdit } from '../session';

/** /registries: every registry Berth knows, each linking to its page; admins add external ones. */
export function Component() {
  const { t } = useTranslation();
  const canEdit = useCanEdit();
  useDocumentTitle(t('registries.title'));
  return (
    <div className="page">
      <PageHeader title={t('registries.title')}>
        <p className="muted">{t('registries.intro')}</p>
      </PageHeader>
      <RegistriesList canManage={canEdit} />
    </div>
  );
}
