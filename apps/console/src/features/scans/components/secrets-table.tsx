import { useMemo } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { SecretFinding } from '@berth/api';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { isApiError } from '@/lib/api-client';
import { shortDigest } from '@/lib/format';
import { useSecrets } from '../api/get-secrets';
import { SeverityBadge } from './severity-badge';

/**
 * The Secrets tab: which rule matched in which file and line, and the masked value only
 * (the server never sends more). Says so when the image's settings leave secrets out.
 */
export function SecretsTable({ repository, image, digest, multiPlatform }: { repository: string; image: string; digest: string; multiPlatform: boolean }) {
  const { t } = useTranslation();
  const query = useSecrets(repository, image, digest);
  const data = query.data;
  const columns = useMemo<ColumnDef<SecretFinding>[]>(() => {
    const cols: ColumnDef<SecretFinding>[] = [
      {
        id: 'rule',
        header: t('scans.secrets.rule'),
        meta: { rowHeader: true },
        cell: ({ row }) => (
          <div>
            <span className="strong">{row.original.title}</span>
            <div className="muted small mono-wrap">{row.original.rule}</div>
          </div>
        ),
      },
      { id: 'severity', header: t('scans.vulns.severity'), meta: { width: '8rem' }, cell: ({ row }) => <SeverityBadge severity={row.original.severity} /> },
      {
        id: 'where',
        header: t('scans.secrets.where'),
        cell: ({ row }) => (
          <code className="mono-wrap" data-testid="secret-where">
            {row.original.path}:{row.original.line}
          </code>
        ),
      },
      {
        id: 'masked',
        header: t('scans.secrets.masked'),
        cell: ({ row }) => (
          <code className="mono-wrap" data-testid="secret-masked">
            {row.original.masked}
          </code>
        ),
      },
      { id: 'layer', header: t('scans.vulns.layer'), meta: { width: '9.5rem' }, cell: ({ row }) => <code title={row.original.layer}>{shortDigest(row.original.layer)}</code> },
    ];
    if (multiPlatform) cols.push({ id: 'platform', header: t('scans.platform'), meta: { width: '8rem' }, cell: ({ row }) => row.original.platform ?? '—' });
    return cols;
  }, [t, multiPlatform]);
  const table = useReactTable({
    data: data?.items ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (s, i) => `${s.rule}@${s.path}:${s.line}@${s.platform ?? ''}#${i}`,
  });

  let body;
  if (query.isPending) body = <Spinner block />;
  else if (query.isError)
    body =
      isApiError(query.error) && query.error.code === 'SCAN_NOT_FOUND' ? (
        <EmptyState title={t('scans.noResults')}>{query.error.message}</EmptyState>
      ) : (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      );
  else if (!data || data.items.length === 0) body = <EmptyState title={t('scans.secrets.none')} />;
  else
    body = <DataTable table={table} caption={t('scans.secrets.caption', { image })} rowProps={(row) => ({ 'data-testid': 'secret-row', 'data-rule': row.original.rule })} />;

  return (
    <section className="details-stack" aria-labelledby="secrets-heading" data-testid="secrets">
      <div>
        <h2 id="secrets-heading" className="section-title">
          {t('scans.secrets.title')}
        </h2>
        <p className="muted small">{t('scans.secrets.intro')}</p>
      </div>
      {data?.excluded && (
        <p className="callout callout-info" data-testid="secrets-excluded">
          {t('scans.secrets.excluded')}
        </p>
      )}
      {body}
    </section>
  );
}
