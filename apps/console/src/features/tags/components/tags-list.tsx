import { lazy, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { useSearchParams } from 'react-router';
import { getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState } from '@tanstack/react-table';
import type { Tag } from '@berth/api';
import { Button } from '@/components/ui/button';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { CopyButton, copyText } from '@/components/ui/copy-button';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { LockBadge } from '@/components/ui/lock-badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { SearchField } from '@/components/ui/search-field';
import { SelectCheckbox } from '@/components/ui/select-checkbox';
import { Spinner } from '@/components/ui/spinner';
import { StatusBadge } from '@/components/ui/status-badge';
import { deleteErrorMessage } from '@/lib/delete-error';
import { formatNumber, shortDigest } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useSearchParamPatch } from '@/lib/use-search-param-patch';
import { useUrlSorting } from '@/lib/use-url-sorting';
import { DEFAULT_TAG_FILTERS, parseTagFilters, useTags } from '../api/get-tags';
import { useUpdateTag } from '../api/update-tag';
import { bulkDeleteState, MAX_BULK_TAGS, selectedTags, withoutGone } from './bulk-selection';
import { TagActionsMenu, type TagAction, type TagExtraAction } from './tag-actions-menu';

const DeleteTagsDialog = lazy(() => import('./delete-tags-dialog').then((m) => ({ default: m.DeleteTagsDialog })));

const EMPTY: Tag[] = [];

export interface TagsListProps {
  repository: string;
  image: string;
  /** The host in pull commands; without it there is no Copy pull command. */
  publicHost?: string;
  /** Admins lock, unlock and delete tags; viewers read and copy. */
  canEdit: boolean;
  /** Whether the image itself is locked (its tags can't be deleted then). */
  imageLocked?: boolean;
  /** A tag was locked, unlocked or deleted: the page refreshes what other features show of the image. */
  onChanged?: () => unknown;
  /** A column another feature fills (the page composes it): each tag's scan. */
  scanColumn?: { header: string; cell: (tag: Tag) => ReactNode };
  /** Row menu entries another feature adds for a tag. */
  extraActions?: (tag: Tag) => TagExtraAction[];
}

/**
 * The Tags tab: every tag of the image with its digest, status, lock, push and pull times and
 * pull count; sortable and filterable by name (both in the URL), Load more. Admins select tags
 * (at most 50 go at once) and lock, unlock or delete them from the row menu. The page may add a
 * column and row menu entries of another feature (each tag's scan); while a shown tag's scan
 * waits or runs, the list is read again every 2 s.
 */
export function TagsList({ repository, image, publicHost, canEdit, imageLocked = false, onChanged, scanColumn, extraActions }: TagsListProps) {
  const { t, i18n } = useTranslation();
  const limitId = useId();
  const [searchParams] = useSearchParams();
  const filters = parseTagFilters(searchParams);
  const patch = useSearchParamPatch();
  const { sorting, onSortingChange } = useUrlSorting(filters, DEFAULT_TAG_FILTERS);
  const query = useTags(repository, image, filters);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const selected = selectedTags(selection);
  const bulk = bulkDeleteState(selected.length);
  // The tags a delete dialog is open for: one from its row menu, or the bulk selection.
  const [deleting, setDeleting] = useState<{ tags: Tag[]; single: boolean } | null>(null);
  const update = useUpdateTag(repository, image, { onChanged });

  const onAction = (action: TagAction, tag: Tag) => {
    if (action === 'pull' && publicHost) {
      const command = `docker pull ${publicHost}/${repository}/${image}:${tag.name}`;
      copyText(command).then(
        () => toast.success(t('artifacts.copiedValue', { value: command })),
        () => toast.error(t('common.copyFailed')),
      );
    } else if (action === 'lock' || action === 'unlock') {
      const locked = action === 'lock';
      update.mutate(
        { tag: tag.name, body: { locked } },
        {
          onSuccess: () => toast.success(t(locked ? 'tags.lockedToast' : 'tags.unlockedToast', { tag: tag.name })),
          onError: (error) => toast.error(deleteErrorMessage(t, error, { change: 'lock' })),
        },
      );
    } else if (action === 'delete') {
      setDeleting({ tags: [tag], single: true });
    }
  };
  // The memoized columns call the latest handlers.
  const onActionRef = useRef(onAction);
  onActionRef.current = onAction;
  const extraRef = useRef(extraActions);
  extraRef.current = extraActions;
  const scanCellRef = useRef(scanColumn?.cell);
  scanCellRef.current = scanColumn?.cell;
  const scanHeader = scanColumn?.header;
  const hasExtra = extraActions !== undefined;

  const columns = useMemo<ColumnDef<Tag>[]>(() => {
    const cols: ColumnDef<Tag>[] = [];
    if (canEdit) {
      cols.push({
        id: 'select',
        header: ({ table }) => (
          <SelectCheckbox
            label={t('tags.selectAll')}
            checked={table.getIsAllRowsSelected()}
            indeterminate={table.getIsSomeRowsSelected()}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        meta: { width: '2.5rem' },
        cell: ({ row }) => (
          <SelectCheckbox label={t('tags.select', { tag: row.original.name })} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
        ),
      });
    }
    cols.push(
      {
        accessorKey: 'name',
        header: t('tags.name'),
        sortDescFirst: false,
        meta: { rowHeader: true },
        cell: ({ row }) => (
          <>
            <span className="strong mono-wrap" data-testid="tag-name">
              {row.original.name}
            </span>
            {row.original.locked && (
              <>
                {' '}
                <LockBadge label={t('lock.tagLocked', { tag: row.original.name })} testId="tag-lock" />
              </>
            )}
          </>
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
        id: 'status',
        header: t('fields.status'),
        meta: { width: '8rem' },
        cell: ({ row }) => <StatusBadge status={row.original.status} testId="tag-status" />,
      },
    );
    if (scanHeader !== undefined) {
      cols.push({
        id: 'scan',
        header: scanHeader,
        meta: { width: '15rem' },
        cell: ({ row }) => scanCellRef.current?.(row.original),
      });
    }
    cols.push(
      {
        accessorKey: 'pushedAt',
        header: t('artifacts.pushedAt'),
        sortDescFirst: true,
        meta: { width: '9rem' },
        cell: ({ row }) => <RelativeTime value={row.original.pushedAt} />,
      },
      {
        accessorKey: 'pulledAt',
        header: t('artifacts.pulledAt'),
        sortDescFirst: true,
        meta: { width: '9rem' },
        cell: ({ row }) => <RelativeTime value={row.original.pulledAt} />,
      },
      {
        accessorKey: 'pullCount',
        header: t('artifacts.pullCount'),
        sortDescFirst: true,
        meta: { align: 'end', width: '6rem' },
        cell: ({ row }) => <span className="num">{formatNumber(row.original.pullCount, i18n.language)}</span>,
      },
    );
    if (canEdit || publicHost || hasExtra) {
      cols.push({
        id: 'actions',
        header: () => <span className="visually-hidden">{t('common.actions')}</span>,
        meta: { align: 'end', width: '3.5rem' },
        cell: ({ row }) => (
          <TagActionsMenu
            tag={row.original}
            canPull={Boolean(publicHost)}
            canEdit={canEdit}
            onAction={(a, x) => onActionRef.current(a, x)}
            extra={hasExtra ? () => extraRef.current?.(row.original) ?? [] : undefined}
          />
        ),
      });
    }
    return cols;
  }, [t, i18n.language, canEdit, publicHost, scanHeader, hasExtra]);

  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (tag) => tag.name,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: canEdit,
    state: { sorting, rowSelection: selection },
    onSortingChange,
    onRowSelectionChange: setSelection,
  });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError && rows.length === 0) body = <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  else if (rows.length === 0) body = filters.q ? <EmptyState title={t('tags.noMatch', { q: filters.q })} /> : <EmptyState title={t('tags.empty')} />;
  else
    body = (
      <>
        <DataTable
          table={table}
          caption={t('tags.caption', { image })}
          rowProps={(row) => ({ 'data-testid': 'tag-row', 'data-tag': row.original.name })}
          estimateRowHeight={45}
        />
        <LoadMore shown={rows.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </>
    );

  const byName = new Map(rows.map((tag) => [tag.name, tag]));
  return (
    <section className="tags-list" aria-labelledby="tags-heading" aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <h2 id="tags-heading" className="section-title">
          {t('tags.title')}
        </h2>
        <SearchField label={t('tags.filter')} value={filters.q} onChange={(q) => patch({ q })} />
      </div>
      {selected.length > 0 && (
        <div className={bulk.tooMany ? 'selection-bar selection-bar-warning' : 'selection-bar'}>
          <span role="status">
            {t('tags.selected', { count: selected.length })}
            {bulk.tooMany && (
              <>
                {' · '}
                <strong id={limitId} data-testid="bulk-limit">
                  {t('tags.tooMany', { max: MAX_BULK_TAGS })}
                </strong>
              </>
            )}
          </span>
          <Button
            size="sm"
            variant="danger"
            disabled={!bulk.canDelete}
            aria-describedby={bulk.tooMany ? limitId : undefined}
            aria-haspopup="dialog"
            onClick={() => setDeleting({ tags: selected.map((name) => byName.get(name)).filter((x): x is Tag => x !== undefined), single: false })}
          >
            {t('tags.deleteSelected', { count: selected.length })}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setSelection({})}>
            {t('artifacts.clearSelection')}
          </Button>
        </div>
      )}
      {body}
      {deleting && (
        <ClientSuspense>
          <DeleteTagsDialog
            repository={repository}
            image={image}
            tags={deleting.tags}
            single={deleting.single}
            imageLocked={imageLocked}
            onChanged={onChanged}
            onDone={(results) => setSelection((s) => withoutGone(s, results))}
            onClose={() => setDeleting(null)}
          />
        </ClientSuspense>
      )}
    </section>
  );
}
