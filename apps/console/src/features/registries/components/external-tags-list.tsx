import { lazy, useMemo, useRef, useState } from 'react';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ExternalTag } from '@berth/api';
import { useTranslation } from '@/lib/use-translation';
import { ByteSize } from '@/components/ui/byte-size';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { CopyButton } from '@/components/ui/copy-button';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { RowMenu, RowMenuItem } from '@/components/ui/row-menu';
import { Spinner } from '@/components/ui/spinner';
import { shortDigest } from '@/lib/format';
import { platformLabel } from '@/lib/platform-label';
import { useExternalTags } from '../api/browse-registry';

const ExternalPullDialog = lazy(() => import('./external-pull-dialog').then((m) => ({ default: m.ExternalPullDialog })));
const ExternalManifestDialog = lazy(() => import('./external-manifest-dialog').then((m) => ({ default: m.ExternalManifestDialog })));

const EMPTY: ExternalTag[] = [];

/** The last path segment of a media type, enough to tell an index from an image (the full one is the title). */
const mediaTypeLabel = (mediaType: string) => mediaType.replace(/^application\//, '').replace(/\+json$/, '');

/**
 * The tags of an external image, read from the registry a page at a time (each tag costs a
 * manifest read there): name, digest, size, platforms, media type. Row actions: Copy pull
 * command (a popup with docker and podman, by tag or digest) and View manifest. Read-only.
 */
export function ExternalTagsList({ registry, repository, image, publicHost, fullName }: { registry: string; repository: string; image: string; publicHost: string; fullName: string }) {
  const { t } = useTranslation();
  const query = useExternalTags(registry, repository, image);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const [pulling, setPulling] = useState<ExternalTag | null>(null);
  const [viewing, setViewing] = useState<ExternalTag | null>(null);
  // The memoized columns call the latest handlers.
  const actions = useRef({ pull: setPulling, view: setViewing });
  actions.current = { pull: setPulling, view: setViewing };

  const columns = useMemo<ColumnDef<ExternalTag>[]>(
    () => [
      {
        id: 'name',
        header: t('tags.name'),
        meta: { rowHeader: true, width: '22%' },
        cell: ({ row }) => (
          <span className="strong mono-wrap" data-testid="tag-name">
            {row.original.name}
          </span>
        ),
      },
      {
        id: 'digest',
        header: t('artifacts.digest'),
        meta: { width: '13rem' },
        cell: ({ row }) => (
          <span className="digest">
            <code title={row.original.digest} data-testid="tag-digest">
              {shortDigest(row.original.digest)}
            </code>
            <CopyButton value={row.original.digest} label={t('artifacts.copyDigest', { digest: shortDigest(row.original.digest) })} />
          </span>
        ),
      },
      {
        id: 'size',
        header: t('artifacts.size'),
        meta: { align: 'end', width: '7rem' },
        cell: ({ row }) => <ByteSize bytes={row.original.size} testId="tag-size" />,
      },
      {
        id: 'platforms',
        header: t('artifacts.platforms'),
        meta: { width: '11rem' },
        cell: ({ row }) =>
          row.original.platforms.length > 0 ? (
            <ul className="plain-list small" data-testid="tag-platforms">
              {row.original.platforms.map((p) => {
                const label = platformLabel(p);
                return <li key={label}>{label}</li>;
              })}
            </ul>
          ) : (
            <span className="muted">{row.original.artifactType ?? '—'}</span>
          ),
      },
      {
        id: 'mediaType',
        header: t('artifacts.mediaType'),
        meta: { width: '18rem' },
        cell: ({ row }) => (
          <>
            <code className="small" title={row.original.mediaType} data-testid="tag-media-type">
              {mediaTypeLabel(row.original.mediaType)}
            </code>
            {row.original.childCount > 0 && <div className="muted small">{t('registries.browse.children', { count: row.original.childCount })}</div>}
          </>
        ),
      },
      {
        id: 'actions',
        header: () => <span className="visually-hidden">{t('common.actions')}</span>,
        meta: { align: 'end', width: '3.5rem' },
        cell: ({ row }) => (
          <RowMenu
            label={t('tags.actionsFor', { tag: row.original.name })}
            items={() => (
              <>
                <RowMenuItem className="menu-item" onSelect={() => actions.current.pull(row.original)} data-testid="tag-action-pull">
                  {t('tags.action.pull')}
                </RowMenuItem>
                <RowMenuItem className="menu-item" onSelect={() => actions.current.view(row.original)} data-testid="tag-action-manifest">
                  {t('registries.browse.viewManifest')}
                </RowMenuItem>
              </>
            )}
          />
        ),
      },
    ],
    [t],
  );
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (tag) => tag.name });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError && rows.length === 0) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (rows.length === 0) body = <EmptyState title={t('tags.empty')} />;
  else
    body = (
      <>
        <DataTable table={table} caption={t('tags.caption', { image: fullName })} rowProps={(row) => ({ 'data-testid': 'tag-row', 'data-tag': row.original.name })} estimateRowHeight={45} />
        <LoadMore shown={rows.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </>
    );

  return (
    <section className="tags-list" aria-labelledby="tags-heading" aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <h2 id="tags-heading" className="section-title">
          {t('tags.title')}
        </h2>
      </div>
      {body}
      {pulling && (
        <ClientSuspense>
          <ExternalPullDialog key={pulling.name} host={publicHost} fullName={fullName} tag={pulling} onClose={() => setPulling(null)} />
        </ClientSuspense>
      )}
      {viewing && (
        <ClientSuspense>
          <ExternalManifestDialog registry={registry} repository={repository} image={image} tag={viewing} onClose={() => setViewing(null)} />
        </ClientSuspense>
      )}
    </section>
  );
}
