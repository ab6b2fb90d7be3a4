import { useEffect, useRef } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { ConnectionTest } from '@berth/api';
import { Badge } from '@/components/ui/badge';
import { reasonKey } from '../lib/reasons';

/** How many listed repositories the panel names before "…". */
const SHOWN = 12;

/**
 * What a connection test found, as a panel: passed (how the registry signs in, that the account
 * was accepted, which repositories it lists or that it lists none, the chosen repository) or
 * failed (why, in words, and the server's own sentence naming the host).
 */
export function ConnectionTestResult({ test }: { test: ConnectionTest }) {
  const { t } = useTranslation();
  const catalog = test.catalog;
  return (
    <div className={`test-result ${test.ok ? 'test-result-ok' : 'test-result-failed'}`} role="status" data-testid="connection-test-result" data-ok={String(test.ok)} data-reason={test.reason}>
      <p className="test-result-head">
        <Badge tone={test.ok ? 'success' : 'danger'}>{test.ok ? t('registries.testPassed') : t('registries.testFailed')}</Badge>{' '}
        <strong data-testid="connection-test-summary">{test.ok ? t('registries.test.passed') : t(reasonKey(test.reason))}</strong>
      </p>
      {!test.ok && (
        <p className="muted small" data-testid="connection-test-message">
          {test.message}
        </p>
      )}
      {test.ok && (
        <ul className="test-result-facts">
          <li data-testid="connection-test-auth">
            {test.auth?.scheme === 'bearer' && !test.auth.realm ? t('registries.test.bearerUnknown') : t(`registries.test.auth.${test.auth?.scheme ?? 'none'}`, { realm: test.auth?.realm ?? '' })}
          </li>
          {test.authAccepted && <li>{t('registries.test.accepted')}</li>}
          <li data-testid="connection-test-catalog" data-allowed={String(catalog?.allowed ?? false)}>
            {catalog?.allowed ? (
              <>
                {t('registries.test.repositories', { count: catalog.count ?? catalog.repositories.length })}
                {catalog.repositories.length > 0 && (
                  <>
                    {': '}
                    <code className="mono-wrap small">{catalog.repositories.slice(0, SHOWN).join(', ')}</code>
                    {(catalog.more || catalog.repositories.length > SHOWN) && '…'}
                  </>
                )}
              </>
            ) : (
              t('registries.test.noCatalog')
            )}
          </li>
          {test.repository && (
            <li data-testid="connection-test-repository">
              {test.repository.found === true
                ? t('registries.test.repositoryFound', { name: test.repository.name })
                : t('registries.test.repositoryUnchecked', { name: test.repository.name })}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

/**
 * A dialog's latest test, brought into view when it arrives (the add dialog is taller than most screens); `stale` when the fields changed
 * since (Save then waits for a new test).
 */
export function ConnectionTestPanel({ test, stale }: { test: ConnectionTest; stale: boolean }) {
  const { t } = useTranslation();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'nearest' });
  }, [test]);
  return (
    <div ref={panel} className="details-stack" data-testid="connection-test-panel" data-stale={String(stale)}>
      <ConnectionTestResult test={test} />
      {stale && <p className="muted small">{t('registries.testStale')}</p>}
    </div>
  );
}
