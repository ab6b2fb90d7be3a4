import { useId, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { GcReport, LastGc } from '@berth/api';
import { Button } from '@/components/ui/button';
import { ByteSize } from '@/components/ui/byte-size';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FactList } from '@/components/ui/fact-list';
import { FormError } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { formatBytes, formatNumber } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useCollectGarbage } from '../api/collect-garbage';
import { ActionCard, latestReport, RunReport } from './action-card';

const isEmpty = (r: GcReport) => r.manifests + r.blobs + r.uploads + r.links === 0;

/** Manifests, blobs and their size, unfinished uploads: what a collection frees (or would). */
function GcReportFacts({ report, testIdPrefix }: { report: GcReport; testIdPrefix: string }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => <span className="num">{formatNumber(n, i18n.language)}</span>;
  return (
    <FactList
      facts={[
        { label: t('registries.gc.manifests'), value: count(report.manifests), testId: `${testIdPrefix}-manifests` },
        { label: t('registries.gc.blobs'), value: count(report.blobs), testId: `${testIdPrefix}-blobs` },
        { label: t('registries.gc.bytes'), value: <ByteSize bytes={report.bytes} />, testId: `${testIdPrefix}-bytes` },
        {
          label: t('registries.gc.uploads'),
          value:
            report.uploads > 0 ? (
              <>
                {count(report.uploads)} · <ByteSize bytes={report.uploadBytes} />
              </>
            ) : (
              count(0)
            ),
          testId: `${testIdPrefix}-uploads`,
        },
      ]}
    />
  );
}

/**
 * Garbage collection of the embedded registry (admins): the dialog runs a dry run at once,
 * shows what would be freed, and deletes only when confirmed. The card shows the last collection that
 * deleted (kept by the registry: `last`), with who ran it and when.
 */
export function RegistryGc({ name, last, onCollected }: { name: string; last: LastGc | null; onCollected?: (report: GcReport) => unknown }) {
  const { t, i18n } = useTranslation();
  const untaggedId = useId();
  const [open, setOpen] = useState(false);
  const [untagged, setUntagged] = useState(false);
  const dryRun = useCollectGarbage(name);
  const realRun = useCollectGarbage(name, { onCollected });
  const freed = latestReport(last && { ...last, value: last.report }, { value: realRun.data, at: realRun.submittedAt });

  const check = (withUntagged: boolean) => dryRun.mutate({ dryRun: true, untagged: withUntagged ? 'delete' : 'keep' });
  const onOpen = () => {
    setUntagged(false);
    realRun.reset();
    setOpen(true);
    check(false);
  };
  const onUntagged = (value: boolean) => {
    setUntagged(value);
    check(value);
  };
  const onConfirm = () =>
    realRun.mutate(
      { dryRun: false, untagged: untagged ? 'delete' : 'keep' },
      {
        onSuccess: (report) => {
          setOpen(false);
          toast.success(t('registries.gc.done', { size: formatBytes(report.bytes + report.uploadBytes, i18n.language) }));
        },
      },
    );

  const preview = dryRun.isPending ? (
    <Spinner label={t('registries.gc.checking')} block />
  ) : dryRun.isError ? (
    <FormError>{dryRun.error.message}</FormError>
  ) : dryRun.data ? (
    <RunReport title={t('registries.gc.wouldFree')} testId="gc-preview">
      <GcReportFacts report={dryRun.data} testIdPrefix="gc-would" />
      {isEmpty(dryRun.data) && <p className="muted">{t('registries.gc.nothing')}</p>}
    </RunReport>
  ) : null;

  return (
    <ActionCard title={t('registries.gc.title')} body={t('registries.gc.body')} action={<Button onClick={onOpen}>{t('registries.gc.action')}</Button>}>
      {/* The toast announces what was freed; the report stays here. */}
      {freed && !open && (
        <RunReport title={t('registries.gc.freed')} testId="gc-result" ran={freed.ran}>
          <GcReportFacts report={freed.value} testIdPrefix="gc-freed" />
        </RunReport>
      )}
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => !realRun.isPending && setOpen(next)}
        title={t('registries.gc.dialogTitle', { name })}
        confirmLabel={t('registries.gc.confirm')}
        onConfirm={onConfirm}
        busy={realRun.isPending}
        confirmDisabled={!dryRun.data || dryRun.isPending || isEmpty(dryRun.data)}
        danger
        details={
          <div className="details-stack">
            <label className="choice" htmlFor={untaggedId}>
              <input
                id={untaggedId}
                type="checkbox"
                className="checkbox"
                checked={untagged}
                disabled={realRun.isPending}
                onChange={(e) => onUntagged(e.target.checked)}
              />
              {t('registries.gc.untagged')}
            </label>
            {preview}
            <FormError>{realRun.error?.message}</FormError>
          </div>
        }
      >
        {t('registries.gc.dialogBody')}
      </ConfirmDialog>
    </ActionCard>
  );
}
