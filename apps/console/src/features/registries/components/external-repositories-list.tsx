import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ExternalRepository } from '@berth/api';
import { useTranslation } from '@/lib/use-translation';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { SearchField } from '@/components/ui/search-field';
import { Spinner } from '@/components/ui/spinner';
import { isApiError } from '@/lib/api-client';
import { formatNumber } from '@/lib/format';
import { paths } from '@/lib/paths';
import { useSearchParamPatch } from '@/lib/use-search-param-patch';
import { useExternalRepositories } from '../api/browse-registry';
import { TOP_LEVEL } from '../lib/external';
import { OpenImageByName } from './open-image-by-name';

const EMPTY: ExternalRepository[] = [];

/**
 * What an external registry holds, read from it: its repositories (the first path component of
 * its image names; `_` holds the top-level ones) with their image counts, filterable, Load more.
 * A registry that does not list its catalog (Docker Hub, or an account that may not) says so and
 * offers to open an image by name instead.
 */
export function ExternalRepositoriesList({ registry }: { registry: string }) {
  const { t, i18n } = useTranslation();
  const [searchParams] = useSearchParams();
  const q = searchParams.get('q')?.trim() ?? '';
  const patch = useSearchParamPatch();
  const query = useExternalRepositories(registry, q);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const noCatalog = isApiError(query.error) && query.error.code === 'CATALOG_UNAVAILABLE';

  const columns = useMemo<ColumnDef<ExternalRepository>[]>(
    () => [
      {
        id: 'name',
        header: t('fields.name'),
        meta: { rowHeader: true },
        cell: ({ row }) => (
          <Link to={paths.registryRepository(registry, row.original.name)} className="strong-link">
            {row.original.name === TOP_LEVEL ? t('registries.browse.topLevel') : row.original.name}
          </Link>
        ),
      },
      {
        id: 'images',
        header: t('repositories.imageCount'),
        meta: { align: 'end', width: '9rem' },
        cell: ({ row }) => <span className="num">{formatNumber(row.original.imageCount, i18n.language)}</span>,
      },
    ],
    [t, i18n.language, registry],
  );
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.name });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (noCatalog)
    body = (
      <div className="details-stack" data-testid="catalog-unavailable">
        <p className="callout callout-info">{t('registries.browse.noCatalog')}</p>
        <OpenImageByName registry={registry} />
      </div>
    );
  else if (query.isError && rows.length === 0) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (rows.length === 0) body = <EmptyState title={q ? t('registries.browse.noRepositoryMatch', { q }) : t('registries.browse.noRepositories')} />;
  else
    body = (
      <div>
        <DataTable
          table={table}
          caption={t('registries.browse.repositoriesOf', { name: registry })}
          rowProps={(row) => ({ 'data-testid': 'external-repository-row', 'data-name': row.original.name })}
        />
        <LoadMore shown={rows.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </div>
    );

  return (
    <section className="details-card" aria-labelledby="external-repositories-heading" aria-busy={query.isFetching || undefined}>
      <div className="toolbar toolbar-flush">
        <h2 id="external-repositories-heading" className="section-title">
          {t('registries.browse.repositories')}
        </h2>
        {!noCatalog && <SearchField label={t('repositories.filter')} value={q} onChange={(next) => patch({ q: next })} />}
      </div>
      {body}
    </section>
  );
}
