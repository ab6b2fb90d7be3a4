import { lazy, useMemo, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { Link, useSearchParams } from 'react-router';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { Repository } from '@berth/api';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { Button } from '@/components/ui/button';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { RelativeTime } from '@/components/ui/relative-time';
import { SearchField } from '@/components/ui/search-field';
import { Spinner } from '@/components/ui/spinner';
import { formatNumber } from '@/lib/format';
import { paths } from '@/lib/paths';
import { toast } from '@/lib/toast';
import { useSearchParamPatch } from '@/lib/use-search-param-patch';
import { parseRepositoryFilters, useRepositories } from '../api/get-repositories';

const EMPTY: Repository[] = [];

// Dialog code loads when a dialog opens, not with the page.
const CreateRepositoryDialog = lazy(() => import('./create-repository-dialog').then((m) => ({ default: m.CreateRepositoryDialog })));

/** The repository list: filter by name (in the URL), "New repository" for admins, Load more. */
export function RepositoriesList({ canCreate }: { canCreate: boolean }) {
  const { t, i18n } = useTranslation();
  const [searchParams] = useSearchParams();
  const filters = parseRepositoryFilters(searchParams);
  const patch = useSearchParamPatch();
  const query = useRepositories(filters);
  const [creating, setCreating] = useState(false);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const columns = useMemo<ColumnDef<Repository>[]>(
    () => [
      {
        id: 'name',
        header: t('fields.name'),
        meta: { rowHeader: true, width: '24%' },
        cell: ({ row }) => (
          <Link to={paths.repository(row.original.name)} className="strong-link">
            {row.original.name}
          </Link>
        ),
      },
      {
        id: 'description',
        header: t('fields.description'),
        cell: ({ row }) => row.original.description || <span className="muted">—</span>,
      },
      {
        id: 'imageCount',
        header: t('repositories.imageCount'),
        meta: { align: 'end', width: '9rem' },
        cell: ({ row }) => <span className="num">{formatNumber(row.original.imageCount, i18n.language)}</span>,
      },
      {
        id: 'createdAt',
        header: t('fields.created'),
        meta: { width: '10rem' },
        cell: ({ row }) => <RelativeTime value={row.original.createdAt} />,
      },
    ],
    [t, i18n.language],
  );

  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.name });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError && rows.length === 0) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (rows.length === 0)
    body = filters.q ? (
      <EmptyState title={t('repositories.noMatch', { q: filters.q })} />
    ) : (
      <EmptyState title={t('repositories.empty')}>
        {canCreate ? t('repositories.emptyAdmin') : t('repositories.emptyViewer')}
      </EmptyState>
    );
  else
    body = (
      <>
        <DataTable table={table} caption={t('repositories.title')} />
        <LoadMore
          shown={rows.length}
          hasMore={query.hasNextPage}
          loading={query.isFetchingNextPage}
          onLoadMore={() => void query.fetchNextPage()}
        />
      </>
    );

  return (
    <section aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <SearchField label={t('repositories.filter')} value={filters.q} onChange={(q) => patch({ q })} />
        {canCreate && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t('repositories.new')}
          </Button>
        )}
      </div>
      {body}
      {canCreate && creating && (
        <ClientSuspense>
          <CreateRepositoryDialog
            open={creating}
            onOpenChange={setCreating}
            onCreated={(r) => toast.success(t('repositories.created', { name: r.name }))}
          />
        </ClientSuspense>
      )}
    </section>
  );
}
