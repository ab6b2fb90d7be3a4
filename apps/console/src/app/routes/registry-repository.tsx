import { useTranslation } from '@/lib/use-translation';
import { useParams } from 'react-router';
import { ErrorState } from '@/components/ui/error-state';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { useRegistry } from '@/features/registries/api/get-registry';
import { ExternalImagesList } from '@/features/registries/components/external-images-list';
import { paths } from '@/lib/paths';
import { useDocumentTitle } from '@/lib/use-document-title';

/** /registries/:registry/repositories/:repository: the images of a repository of an external registry, read-only. */
export function Component() {
  const { t } = useTranslation();
  const params = useParams();
  const name = params.registry ?? '';
  const repository = params.repository ?? '';
  const registry = useRegistry(name);
  const title = repository === '_' ? t('registries.browse.topLevel') : repository;
  useDocumentTitle(`${name}/${repository} · ${t('registries.title')}`);
  return (
    <div className="page">
      <PageHeader
        title={title}
        breadcrumbLabel={t('nav.breadcrumb')}
        crumbs={[{ label: t('registries.title'), to: paths.registries }, { label: name, to: paths.registry(name) }, { label: title }]}
      >
        {registry.data && (
          <p className="muted small" data-testid="browse-source">
            {t('registries.browse.source', { url: registry.data.url })}
          </p>
        )}
      </PageHeader>
      {registry.isPending ? (
        <Spinner block />
      ) : registry.isError ? (
        <ErrorState error={registry.error} onRetry={() => void registry.refetch()} />
      ) : (
        <ExternalImagesList registry={registry.data} repository={repository} />
      )}
    </div>
  );
}
