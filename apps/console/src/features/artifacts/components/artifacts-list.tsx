import { lazy, useMemo, useRef, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { Link, useLocation, useSearchParams } from 'react-router';
import { getCoreRowModel, useReactTable, type ColumnDef, type ExpandedState, type RowSelectionState } from '@tanstack/react-table';
import type { Artifact } from '@berth/api';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ByteSize } from '@/components/ui/byte-size';
import { CopyButton, copyText } from '@/components/ui/copy-button';
import { DataTable, firstRowTiming } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { ChevronIcon } from '@/components/ui/icons';
import { LoadMore } from '@/components/ui/load-more';
import { LockBadge } from '@/components/ui/lock-badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { SearchField } from '@/components/ui/search-field';
import { Spinner } from '@/components/ui/spinner';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatNumber, shortDigest } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useSearchParamPatch } from '@/lib/use-search-param-patch';
import { useUrlSorting } from '@/lib/use-url-sorting';
import { DEFAULT_ARTIFACT_FILTERS, parseArtifactFilters, useArtifacts } from '../api/get-artifacts';
import { ArtifactActionsMenu, type ArtifactAction } from './artifact-actions-menu';
import { ArtifactChildrenRow } from './artifact-children';
import { SelectCheckbox } from '@/components/ui/select-checkbox';
import { pullReference } from './pull-commands';
import { platformLabel } from '@/lib/platform-label';

const ArtifactDetailsDialog = lazy(() => import('./artifact-details-dialog').then((m) => ({ default: m.ArtifactDetailsDialog })));
const PullCommandDialog = lazy(() => import('./pull-command-dialog').then((m) => ({ default: m.PullCommandDialog })));
const DeleteArtifactDialog = lazy(() => import('./delete-artifact-dialog').then((m) => ({ default: m.DeleteArtifactDialog })));

const EMPTY: Artifact[] = [];

export interface ArtifactsListProps {
  repository: string;
  image: string;
  publicHost?: string;
  /** Admins delete artifacts. */
  canEdit?: boolean;
  /** Whether the image is locked (its artifacts can't be deleted then). */
  imageLocked?: boolean;
  /** An artifact was deleted: the page refreshes what other features show of the image. */
  onChanged?: () => unknown;
}

/**
 * The artifacts of an image: digest, tags (a lock beside each locked one), status, size, push
 * and pull times, pull count and platforms; an index expands to its child manifests. Sort and
 * tag filter live in the URL. Admins delete an artifact from its row menu.
 */
export function ArtifactsList({ repository, image, publicHost, canEdit = false, imageLocked = false, onChanged }: ArtifactsListProps) {
  const { t, i18n } = useTranslation();
  const [searchParams] = useSearchParams();
  const filters = parseArtifactFilters(searchParams);
  const patch = useSearchParamPatch();
  const { sorting, onSortingChange } = useUrlSorting(filters, DEFAULT_ARTIFACT_FILTERS);
  const query = useArtifacts(repository, image, filters);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const [pulling, setPulling] = useState<Artifact | null>(null);
  const [deleting, setDeleting] = useState<Artifact | null>(null);
  // Bulk selection of loaded rows, by digest; the delete feature acts on it.
  const [selection, setSelection] = useState<RowSelectionState>({});
  const selectedCount = Object.values(selection).filter(Boolean).length;
  // The open details window is in the URL (`?artifact=sha256:…`): a link or reload shows it again.
  const detailsDigest = searchParams.get('artifact');
  const onAction = (action: ArtifactAction, artifact: Artifact) => {
    if (action === 'pull') setPulling(artifact);
    else if (action === 'delete') setDeleting(artifact);
    else patch({ artifact: artifact.digest }, { push: true });
  };
  // The memoized columns call the latest handler.
  const onActionRef = useRef(onAction);
  onActionRef.current = onAction;
  // The digest links to its details window: `?artifact=` on top of the list's own params.
  const searchString = searchParams.toString();
  const { pathname } = useLocation();
  const detailsLink = useMemo(() => {
    return (digest: string) => {
      const next = new URLSearchParams(searchString);
      next.set('artifact', digest);
      return { pathname, search: `?${next.toString()}` };
    };
  }, [searchString, pathname]);
  const actions = useMemo<ArtifactAction[]>(
    () => [...(['details'] as const), ...(publicHost ? (['pull'] as const) : []), ...(canEdit ? (['delete'] as const) : [])],
    [publicHost, canEdit],
  );

  const columns = useMemo<ColumnDef<Artifact>[]>(
    () => [
      {
        id: 'select',
        header: ({ table }) => (
          <SelectCheckbox
            label={t('artifacts.selectAll')}
            checked={table.getIsAllRowsSelected()}
            indeterminate={table.getIsSomeRowsSelected()}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        meta: { width: '2.5rem' },
        cell: ({ row }) => (
          <SelectCheckbox
            label={t('artifacts.select', { digest: shortDigest(row.original.digest) })}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      },
      {
        id: 'expand',
        header: () => <span className="visually-hidden">{t('artifacts.platforms')}</span>,
        meta: { width: '2.5rem' },
        cell: ({ row }) =>
          row.getCanExpand() ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm expander"
              onClick={row.getToggleExpandedHandler()}
              aria-expanded={row.getIsExpanded()}
              aria-label={t(row.getIsExpanded() ? 'artifacts.hideChildren' : 'artifacts.showChildren', {
                digest: shortDigest(row.original.digest),
              })}
            >
              <ChevronIcon open={row.getIsExpanded()} />
            </button>
          ) : null,
      },
      {
        id: 'digest',
        header: t('artifacts.digest'),
        meta: { rowHeader: true, width: '13rem' },
        cell: ({ row }) => (
          <span className="digest">
            <Link
              to={detailsLink(row.original.digest)}
              {...firstRowTiming(row.index)}
              className="digest-link"
              title={row.original.digest}
              aria-label={t('artifacts.showDetails', { digest: shortDigest(row.original.digest) })}
              preventScrollReset
            >
              <code data-testid="artifact-digest">{shortDigest(row.original.digest)}</code>
            </Link>
            <CopyButton value={row.original.digest} label={t('artifacts.copyDigest', { digest: shortDigest(row.original.digest) })} />
          </span>
        ),
      },
      {
        id: 'tags',
        header: t('artifacts.tags'),
        cell: ({ row }) =>
          row.original.tags.length > 0 ? (
            <ul className="chips" data-testid="artifact-tags" aria-label={t('artifacts.tags')}>
              {row.original.tags.map((tag) => (
                <li key={tag}>
                  {publicHost ? (
                    // A tag chip copies the pull URL by that tag (the URL button, by digest).
                    <button
                      type="button"
                      className="chip-button"
                      title={t('artifacts.copyTagUrl', { tag })}
                      aria-label={t('artifacts.copyTagUrl', { tag })}
                      onClick={() => {
                        const value = pullReference(publicHost, repository, image, { kind: 'tag', value: tag });
                        copyText(value).then(
                          () => toast.success(t('artifacts.copiedValue', { value })),
                          () => toast.error(t('common.copyFailed')),
                        );
                      }}
                    >
                      <Badge tone="info">{tag}</Badge>
                    </button>
                  ) : (
                    <Badge tone="info">{tag}</Badge>
                  )}
                  {row.original.lockedTags.includes(tag) && <LockBadge compact label={t('lock.tagLocked', { tag })} testId="tag-lock" />}
                  {/* A tag can be Deleting or Inactive (its delete refused) while its artifact is Active. */}
                  {row.original.tagStatus[tag] && <StatusBadge status={row.original.tagStatus[tag]} testId="tag-status" />}
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted" data-testid="artifact-tags">
              {t('artifacts.untagged')}
            </span>
          ),
      },
      {
        id: 'status',
        header: t('fields.status'),
        meta: { width: '8rem' },
        cell: ({ row }) => <StatusBadge status={row.original.status} testId="artifact-status" />,
      },
      {
        accessorKey: 'size',
        header: t('artifacts.size'),
        sortDescFirst: true,
        meta: { align: 'end', width: '7rem' },
        cell: ({ row }) => <ByteSize bytes={row.original.size} testId="artifact-size" />,
      },
      {
        accessorKey: 'pushedAt',
        header: t('artifacts.pushedAt'),
        sortDescFirst: true,
        meta: { width: '8.5rem' },
        cell: ({ row }) => <RelativeTime value={row.original.pushedAt} />,
      },
      {
        accessorKey: 'pulledAt',
        header: t('artifacts.pulledAt'),
        sortDescFirst: true,
        meta: { width: '8.5rem' },
        cell: ({ row }) => <RelativeTime value={row.original.pulledAt} />,
      },
      {
        accessorKey: 'pullCount',
        header: t('artifacts.pullCount'),
        sortDescFirst: true,
        meta: { align: 'end', width: '6rem' },
        cell: ({ row }) => (
          <span className="num" data-testid="artifact-pull-count">
            {formatNumber(row.original.pullCount, i18n.language)}
          </span>
        ),
      },
      {
        id: 'platforms',
        header: t('artifacts.platforms'),
        meta: { width: '11rem' },
        cell: ({ row }) =>
          row.original.platforms.length > 0 ? (
            <ul className="plain-list small">
              {row.original.platforms.map((p) => {
                const label = platformLabel(p);
                return <li key={label}>{label}</li>;
              })}
            </ul>
          ) : (
            <span className="muted">{row.original.artifactType ?? '—'}</span>
          ),
      },
      ...(publicHost
        ? [
            {
              id: 'url',
              header: () => <span className="visually-hidden">{t('artifacts.pullUrl')}</span>,
              meta: { width: '4.5rem' },
              cell: ({ row }) => (
                <CopyButton
                  value={pullReference(publicHost, repository, image, { kind: 'digest', value: row.original.digest })}
                  label={t('artifacts.copyUrl', { digest: shortDigest(row.original.digest) })}
                  text={t('artifacts.url')}
                  showText
                />
              ),
            } satisfies ColumnDef<Artifact>,
          ]
        : []),
      {
        id: 'actions',
        header: () => <span className="visually-hidden">{t('common.actions')}</span>,
        meta: { align: 'end', width: '3.5rem' },
        cell: ({ row }) =>
          <ArtifactActionsMenu artifact={row.original} actions={actions} onAction={(a, x) => onActionRef.current(a, x)} />,
      },
    ],
    [t, i18n.language, actions, publicHost, repository, image, detailsLink],
  );

  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (a) => a.digest,
    getRowCanExpand: (row) => (row.original.children?.length ?? 0) > 0,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    manualExpanding: true,
    enableRowSelection: true,
    state: { sorting, expanded, rowSelection: selection },
    onSortingChange,
    onExpandedChange: setExpanded,
    onRowSelectionChange: setSelection,
  });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError && rows.length === 0) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (rows.length === 0)
    body = filters.q ? <EmptyState title={t('artifacts.noMatch', { q: filters.q })} /> : <EmptyState title={t('artifacts.empty')} />;
  else
    body = (
      <>
        <DataTable
          table={table}
          caption={t('artifacts.caption', { image })}
          rowProps={(row) => ({ 'data-testid': 'artifact-row', 'data-digest': row.original.digest })}
          renderExpanded={(row) => <ArtifactChildrenRow artifact={row.original} colSpan={columns.length} />}
          estimateRowHeight={45}
        />
        <LoadMore shown={rows.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </>
    );

  return (
    <section className="artifacts-list" aria-labelledby="artifacts-heading" aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <h2 id="artifacts-heading" className="section-title">
          {t('artifacts.title')}
        </h2>
        <SearchField label={t('artifacts.filter')} value={filters.q} onChange={(q) => patch({ q })} />
      </div>
      {selectedCount > 0 && (
        <div className="selection-bar" role="status">
          <span>{t('artifacts.selected', { count: selectedCount })}</span>
          <Button size="sm" variant="ghost" onClick={() => setSelection({})}>
            {t('artifacts.clearSelection')}
          </Button>
        </div>
      )}
      {body}
      {detailsDigest && (
        <ClientSuspense>
          <ArtifactDetailsDialog
            repository={repository}
            image={image}
            digest={detailsDigest}
            artifact={rows.find((a) => a.digest === detailsDigest)}
            onClose={() => patch({ artifact: null })}
          />
        </ClientSuspense>
      )}
      {deleting && (
        <ClientSuspense>
          <DeleteArtifactDialog
            repository={repository}
            image={image}
            artifact={deleting}
            listed={rows}
            imageLocked={imageLocked}
            onChanged={onChanged}
            onClose={() => setDeleting(null)}
          />
        </ClientSuspense>
      )}
      {publicHost && pulling && (
        <ClientSuspense>
          <PullCommandDialog repository={repository} image={image} host={publicHost} artifact={pulling} onClose={() => setPulling(null)} />
        </ClientSuspense>
      )}
    </section>
  );
}
