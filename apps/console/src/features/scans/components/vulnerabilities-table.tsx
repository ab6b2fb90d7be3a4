import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from '@/lib/use-translation';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { Vulnerability } from '@berth/api';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { CheckboxField } from '@/components/ui/field';
import { LoadMore } from '@/components/ui/load-more';
import { SearchField } from '@/components/ui/search-field';
import { Spinner } from '@/components/ui/spinner';
import { isApiError } from '@/lib/api-client';
import { formatNumber, shortDigest } from '@/lib/format';
import { useSearchParamPatch } from '@/lib/use-search-param-patch';
import { useUrlSorting } from '@/lib/use-url-sorting';
import { DEFAULT_VULNERABILITY_FILTERS, parseVulnerabilityFilters, useVulnerabilities } from '../api/get-vulnerabilities';
import { COUNTED_SEVERITIES, toggleLevel } from './severity';
import { SeverityBadge } from './severity-badge';

const EMPTY: Vulnerability[] = [];
/** Advisory links open only web pages. */
const webUrl = (url: string) => /^https?:\/\//i.test(url);

/** The advisory id, linked to its page (a new tab), with its aliases and title. */
function Advisory({ v }: { v: Vulnerability }) {
  const { t } = useTranslation();
  return (
    <div>
      {webUrl(v.url) ? (
        <a href={v.url} target="_blank" rel="noopener noreferrer" className="strong mono-wrap" data-testid="advisory-link">
          {v.id}
          <span className="visually-hidden"> {t('scans.vulns.newTab')}</span>
        </a>
      ) : (
        <span className="strong mono-wrap">{v.id}</span>
      )}
      {v.aliases.length > 0 && <div className="muted small mono-wrap">{v.aliases.join(', ')}</div>}
      {v.title && <div className="small">{v.title}</div>}
    </div>
  );
}

/**
 * The Vulnerabilities tab: what the scan matched, filterable by level and "fixable only",
 * searchable (debounced) and sortable on the server (all in the URL), paged with Load more
 * and virtualized like every list. `multiPlatform` adds the platform column.
 */
export function VulnerabilitiesTable({ repository, image, digest, multiPlatform }: { repository: string; image: string; digest: string; multiPlatform: boolean }) {
  const { t, i18n } = useTranslation();
  const [searchParams] = useSearchParams();
  const filters = parseVulnerabilityFilters(searchParams);
  const patch = useSearchParamPatch();
  const { sorting, onSortingChange } = useUrlSorting(filters, DEFAULT_VULNERABILITY_FILTERS);
  const query = useVulnerabilities(repository, image, digest, filters);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? EMPTY, [query.data]);
  const total = query.data?.pages[0]?.total;

  const columns = useMemo<ColumnDef<Vulnerability>[]>(() => {
    const cols: ColumnDef<Vulnerability>[] = [
      {
        accessorKey: 'severity',
        header: t('scans.vulns.severity'),
        sortDescFirst: true,
        meta: { width: '10rem' },
        cell: ({ row }) => <SeverityBadge severity={row.original.severity} score={row.original.score} />,
      },
      {
        accessorKey: 'id',
        header: t('scans.vulns.id'),
        sortDescFirst: false,
        meta: { rowHeader: true },
        cell: ({ row }) => <Advisory v={row.original} />,
      },
      {
        accessorKey: 'package',
        header: t('scans.vulns.package'),
        sortDescFirst: false,
        cell: ({ row }) => (
          <div>
            <span className="strong mono-wrap" data-testid="vuln-package">
              {row.original.package}
            </span>{' '}
            <span className="muted small">{row.original.packageType}</span>
            <div className="muted small mono-wrap">{row.original.path}</div>
          </div>
        ),
      },
      {
        id: 'installedVersion',
        header: t('scans.vulns.installed'),
        meta: { width: '9.5rem' },
        cell: ({ row }) => <code className="mono-wrap">{row.original.installedVersion}</code>,
      },
      {
        accessorKey: 'fixedVersion',
        header: t('scans.vulns.fixed'),
        sortDescFirst: false,
        meta: { width: '9.5rem' },
        cell: ({ row }) =>
          row.original.fixedVersion ? <code className="mono-wrap">{row.original.fixedVersion}</code> : <span className="muted">{t('scans.vulns.noFix')}</span>,
      },
      {
        id: 'layer',
        header: t('scans.vulns.layer'),
        meta: { width: '9.5rem' },
        cell: ({ row }) => <code title={row.original.layer}>{shortDigest(row.original.layer)}</code>,
      },
    ];
    if (multiPlatform) {
      cols.push({ id: 'platform', header: t('scans.platform'), meta: { width: '8rem' }, cell: ({ row }) => row.original.platform ?? <span className="muted">—</span> });
    }
    return cols;
  }, [t, multiPlatform]);

  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (v, i) => `${v.id}@${v.package}@${v.path}@${v.platform ?? ''}#${i}`,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange,
  });

  const filtered = filters.q !== '' || filters.severity.length > 0 || filters.fixable;
  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError && rows.length === 0)
    body =
      isApiError(query.error) && query.error.code === 'SCAN_NOT_FOUND' ? (
        <EmptyState title={t('scans.noResults')}>{query.error.message}</EmptyState>
      ) : (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      );
  else if (rows.length === 0) body = <EmptyState title={filtered ? t('scans.vulns.noMatch') : t('scans.vulns.none')} />;
  else
    body = (
      <>
        <DataTable
          table={table}
          caption={t('scans.vulns.caption', { image })}
          rowProps={(row) => ({ 'data-testid': 'vuln-row', 'data-id': row.original.id, 'data-severity': row.original.severity })}
          estimateRowHeight={64}
        />
        <LoadMore shown={rows.length} hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      </>
    );

  return (
    <section aria-labelledby="vulns-heading" aria-busy={query.isFetching || undefined} data-testid="vulnerabilities">
      <div className="toolbar">
        <h2 id="vulns-heading" className="section-title">
          {t('scans.vulns.title')}
          {total !== undefined && (
            <span className="muted small" data-testid="vuln-total" data-total={total}>
              {' '}
              · {t('scans.vulns.total', { count: total, value: formatNumber(total, i18n.language) })}
            </span>
          )}
        </h2>
        <SearchField label={t('scans.vulns.search')} value={filters.q} onChange={(q) => patch({ q })} />
      </div>
      <div className="toolbar">
        <fieldset className="choice-group">
          <legend className="visually-hidden">{t('scans.vulns.levels')}</legend>
          {COUNTED_SEVERITIES.map((level) => (
            <CheckboxField
              key={level}
              label={t(`scans.severity.${level}`)}
              checked={filters.severity.includes(level)}
              onChange={(e) => {
                const next = toggleLevel(filters.severity, level, e.target.checked);
                patch({ severity: next.length ? next.join(',') : null });
              }}
            />
          ))}
        </fieldset>
        <CheckboxField label={t('scans.vulns.fixableOnly')} checked={filters.fixable} onChange={(e) => patch({ fixable: e.target.checked ? 'true' : null })} />
      </div>
      {body}
    </section>
  );
}
