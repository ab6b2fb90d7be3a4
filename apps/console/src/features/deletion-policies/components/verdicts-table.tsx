import { useMemo } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { DeletionPolicy, PolicyVerdict } from '@berth/api';
import { DataTable } from '@/components/ui/data-table';
import { shortDigest } from '@/lib/format';
import { reasonText } from './policy-reasons';

/** A verdict of a test or a run, with the registry's refusal when a run could not delete it. */
type Verdict = PolicyVerdict & { message?: string };

/**
 * What a policy test would delete or keep (or a run deleted or was refused): the tag (or
 * "untagged"), the digest, and the reason in words. Long lists are virtualized like every list.
 */
export function VerdictsTable({ verdicts, caption, policy, testId, showMessage = false }: { verdicts: Verdict[]; caption: string; policy?: DeletionPolicy; testId: string; showMessage?: boolean }) {
  const { t } = useTranslation();
  const columns = useMemo<ColumnDef<Verdict>[]>(
    () => [
      {
        id: 'tag',
        header: t('policyTest.tag'),
        meta: { rowHeader: true },
        cell: ({ row }) =>
          row.original.tag ? <span className="strong mono-wrap">{row.original.tag}</span> : <span className="muted">{t('policyTest.untagged')}</span>,
      },
      {
        id: 'digest',
        header: t('policyTest.digest'),
        meta: { width: '13rem' },
        cell: ({ row }) => <code title={row.original.digest}>{shortDigest(row.original.digest)}</code>,
      },
      {
        id: 'reason',
        header: t('policyTest.reasonHeader'),
        cell: ({ row }) => <span data-testid="verdict-reason">{reasonText(t, row.original, policy)}</span>,
      },
      ...(showMessage
        ? [{ id: 'message', header: t('policyTest.message'), cell: ({ row }) => <span className="small">{row.original.message}</span> } satisfies ColumnDef<Verdict>]
        : []),
    ],
    [t, policy, showMessage],
  );
  const table = useReactTable({ data: verdicts, columns, getCoreRowModel: getCoreRowModel(), getRowId: (v, i) => `${v.tag ?? ''}@${v.digest}#${i}` });
  return (
    <DataTable
      table={table}
      caption={caption}
      rowProps={(row) => ({ 'data-testid': testId, 'data-digest': row.original.digest, 'data-tag': row.original.tag, 'data-reason': row.original.reason })}
    />
  );
}
