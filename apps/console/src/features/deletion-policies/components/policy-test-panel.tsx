import { lazy, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { DeletionPolicy, PolicyRunResponse } from '@berth/api';
import { Button } from '@/components/ui/button';
import { ByteSize } from '@/components/ui/byte-size';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { FactList } from '@/components/ui/fact-list';
import { RelativeTime } from '@/components/ui/relative-time';
import { Spinner } from '@/components/ui/spinner';
import { formatBytes, formatNumber } from '@/lib/format';
import { usePolicyTest } from '../api/test-deletion-policy';
import { VerdictsTable } from './verdicts-table';

const RunPolicyDialog = lazy(() => import('./run-policy-dialog').then((m) => ({ default: m.RunPolicyDialog })));

export interface PolicyTestPanelProps {
  repository: string;
  image: string;
  /** Admins run the policy now. */
  canEdit: boolean;
  /** A run deleted something: the page refreshes the image's lists. */
  onChanged?: () => unknown;
}

/**
 * The Policy test tab: a dry run of the image's deletion policy (run when the tab opens, and
 * again on "Test policy"): what would be deleted and what kept, each with its reason, and the
 * bytes a run would free. Admins run it now, after a confirmation; the run's outcome stays shown.
 */
export function PolicyTestPanel({ repository, image, canEdit, onChanged }: PolicyTestPanelProps) {
  const { t, i18n } = useTranslation();
  const query = usePolicyTest(repository, image);
  const [running, setRunning] = useState(false);
  const [ran, setRan] = useState<PolicyRunResponse | null>(null);
  const result = query.data;

  return (
    <section className="details-stack" aria-labelledby="policy-test-heading" aria-busy={query.isFetching || undefined}>
      <div className="toolbar">
        <div>
          <h2 id="policy-test-heading" className="section-title">
            {t('policyTest.title')}
          </h2>
          <p className="muted">{t('policyTest.intro')}</p>
        </div>
        <div className="button-row">
          <Button onClick={() => void query.refetch()} busy={query.isFetching}>
            {t('policyTest.test')}
          </Button>
          {canEdit && (
            <Button
              variant="danger"
              onClick={() => setRunning(true)}
              // A disabled policy does not run; with nothing to delete there is nothing to run.
              disabled={!result || !result.policy.enabled || result.delete.length === 0 || query.isFetching}
              aria-haspopup="dialog"
            >
              {t('policyTest.run')}
            </Button>
          )}
        </div>
      </div>
      {ran && <RunReport run={ran} policy={result?.policy} />}
      {query.isPending ? (
        <Spinner label={t('policyTest.testing')} block />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        result && (
          <>
            <div className="report" data-testid="policy-test-summary">
              <FactList
                facts={[
                  { label: t('policyTest.wouldFree'), value: <ByteSize bytes={result.bytes} testId="policy-test-bytes" /> },
                  { label: t('policyTest.wouldDelete'), value: <span className="num">{formatNumber(result.delete.length, i18n.language)}</span> },
                  { label: t('policyTest.wouldKeep'), value: <span className="num">{formatNumber(result.keep.length, i18n.language)}</span> },
                  { label: t('policyTest.evaluated'), value: <RelativeTime value={result.evaluatedAt} /> },
                ]}
              />
              <p className="small">
                {t(`policy.applies.${result.source}`)}{' '}
                {!result.policy.enabled && <strong data-testid="policy-test-disabled">{t('policyTest.disabled')}</strong>}
              </p>
            </div>
            <div>
              <h3 className="command-section-title">{t('policyTest.wouldDelete')}</h3>
              {result.delete.length > 0 ? (
                <VerdictsTable verdicts={result.delete} caption={t('policyTest.deleteCaption')} policy={result.policy} testId="would-delete" />
              ) : (
                <EmptyState title={t('policyTest.nothingToDelete')} />
              )}
            </div>
            <div>
              <h3 className="command-section-title">{t('policyTest.wouldKeep')}</h3>
              {result.keep.length > 0 ? (
                <VerdictsTable verdicts={result.keep} caption={t('policyTest.keepCaption')} policy={result.policy} testId="would-keep" />
              ) : (
                <EmptyState title={t('policyTest.nothingToKeep')} />
              )}
            </div>
          </>
        )
      )}
      {running && result && (
        <ClientSuspense>
          <RunPolicyDialog
            repository={repository}
            image={image}
            test={result}
            onChanged={onChanged}
            onRan={setRan}
            onClose={() => setRunning(false)}
          />
        </ClientSuspense>
      )}
    </section>
  );
}

/** What the last run here deleted and what it could not, and the bytes it freed. */
function RunReport({ run, policy }: { run: PolicyRunResponse; policy?: DeletionPolicy }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="report" data-testid="policy-run-result">
      <h3 className="command-section-title">
        {t('policyTest.ran')} · <RelativeTime value={run.ranAt} />
      </h3>
      <p role="status" data-testid="policy-run-summary" data-bytes={run.bytes}>
        {t('policyTest.ranSummary', {
          deleted: formatNumber(run.deleted.length, i18n.language),
          refused: formatNumber(run.refused.length, i18n.language),
          size: formatBytes(run.bytes, i18n.language),
        })}
      </p>
      {run.deleted.length > 0 && <VerdictsTable verdicts={run.deleted} caption={t('policyTest.deletedCaption')} policy={policy} testId="run-deleted" />}
      {run.refused.length > 0 && <VerdictsTable verdicts={run.refused} caption={t('policyTest.refusedCaption')} policy={policy} testId="run-refused" showMessage />}
    </div>
  );
}
