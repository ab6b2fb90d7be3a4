import { lazy, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ExternalImage, Registry } from '@berth/api';
import { useTranslation } from '@/lib/use-translation';
import { Button } from '@/components/ui/button';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { SearchField } from '@/components/ui/search-field';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/lib/paths';
import { useSearchParamPatch } from '@/lib/use-search-param-patch';
import { useExternalImages } from '../api/browse-registry';
import { fullImageName } from '../lib/external';

const ExternalPushDialog = lazy(() => import('./external-push-dialog').then((m) => ({ default: m.ExternalPushDialog })));

const EMPTY: ExternalImage[] = [];

/**
 * The images of one repository of an external registry, read from it: name (to its tags) and
 * the name docker uses; filterable, Load more. Push Command when the registry may be pushed to.
 */
export function ExternalImagesList({ registry, repository }: { registry: Registry; repository: string }) {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const q = searchParams.get('q')?.trim() ?? '';
  const patch = useSearchParamPatch();
  const [pushOpen, setPushOpen] = useState(false);
  const query = useExternalImages(registry.name, repository, q);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const canPush = registry.capabilities.includes('push');
  const name = registry.name;

  const columns = useMemo<ColumnDef<ExternalImage>[]>(
    () => [
      {
        id: 'name',
        header: t('fields.name'),
        meta: { rowHeader: true },
        cell: ({ row }) => (
          <Link to={paths.registryImage(name, row.original.repository, row.original.name)} className="strong-link">
            {row.original.name}
          </Link>
        ),
      },
      {
        id: 'fullName',
        header: t('registries.browse.fullName'),
        cell: ({ row }) => <code className="mono-wrap">{row.original.fullName}</code>,
      },
    ],
    [t, name],
  );
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (r) => r.fullName });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError && rows.length === 0) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (rows.length === 0) body = <EmptyState title={q ? t('images.noMatch', { q }) : t('registries.browse.noImages')} />;
  else
    body = (
      <>
        <DataTable
          table={table}
          caption={t('images.caption', { repository })}
          rowProps={(row) => ({ 'data-testid': 'external-image-row', 'data-name': row.original.name })}
        />
        <LoadMore shown={rows.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </>
    );

  return (
    <section aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <SearchField label={t('images.filter')} value={q} onChange={(next) => patch({ q: next })} />
        {canPush && (
          <Button onClick={() => setPushOpen(true)} aria-haspopup="dialog" data-testid="external-push-command">
            {t('images.pushCommand')}
          </Button>
        )}
      </div>
      {body}
      {canPush && pushOpen && (
        <ClientSuspense>
          <ExternalPushDialog
            host={registry.publicHost}
            target={fullImageName(repository, 'IMAGE')}
            username={registry.username}
            open={pushOpen}
            onOpenChange={setPushOpen}
          />
        </ClientSuspense>
      )}
    </section>
  );
}
