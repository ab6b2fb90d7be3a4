import { useMemo } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { Link } from 'react-router';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { Registry } from '@berth/api';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/lib/paths';
import { useRegistries } from '../api/get-registries';

const EMPTY: Registry[] = [];

/** The registries Berth knows: name (to its page), kind, engine, the host people push to, the URL Berth reaches it at. */
export function RegistriesList() {
  const { t } = useTranslation();
  const query = useRegistries();
  const rows = query.data ?? EMPTY;

  const columns = useMemo<ColumnDef<Registry>[]>(
    () => [
      {
        id: 'name',
        header: t('fields.name'),
        meta: { rowHeader: true, width: '16%' },
        cell: ({ row }) => (
          <Link to={paths.registry(row.original.name)} className="strong-link">
            {row.original.name}
          </Link>
        ),
      },
      { id: 'kind', header: t('registries.kind'), meta: { width: '10rem' }, cell: ({ row }) => t(`registries.kinds.${row.original.kind}`) },
      { id: 'engine', header: t('registries.engine'), meta: { width: '17rem' }, cell: ({ row }) => t(`registries.engines.${row.original.engine}`) },
      { id: 'publicHost', header: t('registries.publicHost'), cell: ({ row }) => <code className="mono-wrap">{row.original.publicHost}</code> },
      { id: 'url', header: t('registries.url'), cell: ({ row }) => <code className="mono-wrap">{row.original.url}</code> },
    ],
    [t],
  );
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.name });

  if (query.isPending) return <Spinner block />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (rows.length === 0) return <EmptyState title={t('registries.empty')} />;
  return <DataTable table={table} caption={t('registries.title')} rowProps={(row) => ({ 'data-testid': 'registry-row', 'data-name': row.original.name })} />;
}
