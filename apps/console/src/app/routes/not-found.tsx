import { useTranslation } from '@/lib/use-translation';
import { Link } from 'react-router';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClass } from '@/components/ui/button';
import { paths } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';

/** No route matches the URL. */
export function NotFound() {
  const { t } = useTranslation();
  useDocumentTitle(t('errors.notFoundTitle'));
  return (
    <div className="page">
      <h1 className="page-title">{t('errors.notFoundTitle')}</h1>
      <EmptyState
        title={t('errors.pageNotFound')}
        action={
          <Link to={paths.repositories} className={buttonClass('primary')}>
            {t('errors.toRepositories')}
          </Link>
        }
      />
    </div>
  );
}
