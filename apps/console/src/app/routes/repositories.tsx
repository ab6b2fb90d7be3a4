import type { QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { LoaderFunctionArgs } from 'react-router';
import { PageHeader } from '@/components/ui/page-header';
import { parseRepositoryFilters, repositoriesQueryOptions } from '@/features/repositories/api/get-repositories';
import { RepositoriesList } from '@/features/repositories/components/repositories-list';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useCanEdit } from '../session';

export const loader =
  (queryClient: QueryClient) =>
  async ({ request }: LoaderFunctionArgs) => {
    const filters = parseRepositoryFilters(new URL(request.url).searchParams);
    await queryClient.ensureInfiniteQueryData(repositoriesQueryOptions(filters));
    return null;
  };

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
