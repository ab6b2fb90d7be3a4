import { lazy, useMemo, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { Link, useSearchParams } from 'react-router';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { Image } from '@berth/api';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { Button } from '@/components/ui/button';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { LockBadge } from '@/components/ui/lock-badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { SearchField } from '@/components/ui/search-field';
import { Spinner } from '@/components/ui/spinner';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatNumber } from '@/lib/format';
import { paths } from '@/lib/paths';
import { useSearchParamPatch } from '@/lib/use-search-param-patch';
import { useUrlSorting } from '@/lib/use-url-sorting';
import { DEFAULT_IMAGE_FILTERS, parseImageFilters, useImages } from '../api/get-images';

const PushCommandDialog = lazy(() => import('./push-command-dialog').then((m) => ({ default: m.PushCommandDialog })));

const EMPTY: Image[] = [];

/**
 * The Images tab: sortable by column and filterable by name (both in the URL), Load more,
 * and the Push command popup once the registry's public host is known.
 */
export function ImagesList({ repository, publicHost }: { repository: string; publicHost?: string }) {
  const { t, i18n } = useTranslation();
  const [pushOpen, setPushOpen] = useState(false);
  const [searchParams] = useSearchParams();
  const filters = parseImageFilters(searchParams);
  const patch = useSearchParamPatch();
  const { sorting, onSortingChange } = useUrlSorting(filters, DEFAULT_IMAGE_FILTERS);
  const query = useImages(repository, filters);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const columns = useMemo<ColumnDef<Image>[]>(
    () => [
      {
        accessorKey: 'name',
        header: t('fields.name'),
        sortDescFirst: false,
        meta: { rowHeader: true },
        cell: ({ row }) => (
          <>
            <Link to={paths.image(repository, row.original.name)} className="strong-link">
              {row.original.name}
            </Link>
            {row.original.locked && (
              <>
                {' '}
                <LockBadge testId="image-lock-badge" />
              </>
            )}
          </>
        ),
      },
      {
        id: 'status',
        header: t('fields.status'),
        meta: { width: '8rem' },
        cell: ({ row }) => <StatusBadge status={row.original.status} testId="image-status" />,
      },
      {
        accessorKey: 'artifactCount',
        header: t('images.artifactCount'),
        sortDescFirst: true,
        meta: { align: 'end', width: '9rem' },
        cell: ({ row }) => <span className="num">{formatNumber(row.original.artifactCount, i18n.language)}</span>,
      },
      {
        accessorKey: 'pullCount',
        header: t('images.pullCount'),
        sortDescFirst: true,
        meta: { align: 'end', width: '9rem' },
        cell: ({ row }) => <span className="num">{formatNumber(row.original.pullCount, i18n.language)}</span>,
      },
      {
        accessorKey: 'lastModifiedAt',
        header: t('images.lastModified'),
        sortDescFirst: true,
        meta: { width: '11rem' },
        cell: ({ row }) => <RelativeTime value={row.original.lastModifiedAt} />,
      },
    ],
    [t, i18n.language, repository],
  );

  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => r.name,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange,
  });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError && rows.length === 0) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (rows.length === 0)
    body = filters.q ? (
      <EmptyState title={t('images.noMatch', { q: filters.q })} />
    ) : (
      <EmptyState title={t('images.empty')}>{t('images.emptyHint', { repository })}</EmptyState>
    );
  else
    body = (
      <>
        <DataTable table={table} caption={t('images.caption', { repository })} />
        <LoadMore shown={rows.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </>
    );

  return (
    <section aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <SearchField label={t('images.filter')} value={filters.q} onChange={(q) => patch({ q })} />
        {publicHost && (
          <Button onClick={() => setPushOpen(true)} aria-haspopup="dialog">
            {t('images.pushCommand')}
          </Button>
        )}
      </div>
      {body}
      {publicHost && pushOpen && (
        <ClientSuspense>
          <PushCommandDialog repository={repository} host={publicHost} open={pushOpen} onOpenChange={setPushOpen} />
        </ClientSuspense>
      )}
    </section>
  );
}
