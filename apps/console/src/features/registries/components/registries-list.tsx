import { lazy, useMemo, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { Link, useSearchParams } from 'react-router';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { Registry } from '@berth/api';
import { Button } from '@/components/ui/button';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { SearchField } from '@/components/ui/search-field';
import { Spinner } from '@/components/ui/spinner';
import { formatNumber } from '@/lib/format';
import { paths } from '@/lib/paths';
import { toast } from '@/lib/toast';
import { useSearchParamPatch } from '@/lib/use-search-param-patch';
import { useRegistries } from '../api/get-registries';
import { LastTestBadge } from './last-test-badge';

const EMPTY: Registry[] = [];

// The dialog's code loads when it opens, not with the page.
const AddRegistryDialog = lazy(() => import('./add-registry-dialog').then((m) => ({ default: m.AddRegistryDialog })));

/**
 * Every registry Berth knows, the managed one first: type, URL, mode, the account's username,
 * the last connection test and the repository count. Admins add registries (read-write or pull-only).
 */
export function RegistriesList({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const [searchParams] = useSearchParams();
  const q = searchParams.get('q')?.trim() ?? '';
  const patch = useSearchParamPatch();
  const query = useRegistries(q);
  const [adding, setAdding] = useState<null | 'read-write' | 'pull-only'>(null);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);

  const columns = useMemo<ColumnDef<Registry>[]>(
    () => [
      {
        id: 'name',
        header: t('fields.name'),
        meta: { rowHeader: true, width: '14%' },
        cell: ({ row }) => (
          <Link to={paths.registry(row.original.name)} className="strong-link">
            {row.original.name}
          </Link>
        ),
      },
      { id: 'type', header: t('registries.type'), meta: { width: '9rem' }, cell: ({ row }) => t(`registries.types.${row.original.type}`) },
      { id: 'url', header: t('registries.url'), cell: ({ row }) => <code className="mono-wrap">{row.original.kind === 'managed' ? row.original.publicHost : row.original.url}</code> },
      { id: 'mode', header: t('registries.mode'), meta: { width: '8rem' }, cell: ({ row }) => t(`registries.modes.${row.original.mode}`) },
      {
        id: 'account',
        header: t('registries.account'),
        meta: { width: '10rem' },
        cell: ({ row }) =>
          row.original.kind === 'managed' ? <span className="muted">—</span> : row.original.username ? <code className="mono-wrap">{row.original.username}</code> : <span className="muted">{t('registries.anonymous')}</span>,
      },
      {
        id: 'lastTest',
        header: t('registries.lastTest'),
        meta: { width: '12rem' },
        cell: ({ row }) => (row.original.kind === 'managed' ? <span className="muted">—</span> : <LastTestBadge test={row.original.lastTest} />),
      },
      {
        id: 'repositories',
        header: t('registries.repositoryCount'),
        meta: { align: 'end', width: '8rem' },
        cell: ({ row }) => (row.original.repositoryCount === null ? <span className="muted">—</span> : <span className="num">{formatNumber(row.original.repositoryCount, i18n.language)}</span>),
      },
    ],
    [t, i18n.language],
  );
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.name });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError && rows.length === 0) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (rows.length === 0) body = <EmptyState title={q ? t('registries.noMatch', { q }) : t('registries.empty')} />;
  else
    body = (
      <>
        <DataTable table={table} caption={t('registries.title')} rowProps={(row) => ({ 'data-testid': 'registry-row', 'data-name': row.original.name })} />
        <LoadMore shown={rows.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </>
    );

  return (
    <section aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <SearchField label={t('registries.filter')} value={q} onChange={(next) => patch({ q: next })} />
        {canManage && (
          <div className="button-row">
            <Button onClick={() => setAdding('pull-only')}>{t('registries.addPullOnly')}</Button>
            <Button variant="primary" onClick={() => setAdding('read-write')}>
              {t('registries.add')}
            </Button>
          </div>
        )}
      </div>
      {body}
      {canManage && adding && (
        <ClientSuspense>
          <AddRegistryDialog
            mode={adding}
            open={adding !== null}
            onOpenChange={(open) => !open && setAdding(null)}
            onCreated={(r) => toast.success(t('registries.created', { name: r.name }))}
          />
        </ClientSuspense>
      )}
    </section>
  );
}
