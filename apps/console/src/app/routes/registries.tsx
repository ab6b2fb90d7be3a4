import { useTranslation } from '@/lib/use-translation';
import { PageHeader } from '@/components/ui/page-header';
import { RegistriesList } from '@/features/registries/components/registries-list';
import { useDocumentTitle } from '@/lib/use-document-title';

/** /registries: the registries Berth knows, each linking to its page. */
export function Component() {
  const { t } = useTranslation();
  useDocumentTitle(t('registries.title'));
  return (
    <div className="page">
      <PageHeader title={t('registries.title')}>
        <p className="muted">{t('registries.intro')}</p>
      </PageHeader>
      <RegistriesList />
    </div>
  );
}
