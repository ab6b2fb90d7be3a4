import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation, useSearchParams } from 'react-router';
import { useTranslation } from '@/lib/use-translation';
import type { ArtifactScan } from '@berth/api';
import { buttonClass, Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { FactList } from '@/components/ui/fact-list';
import { FormError } from '@/components/ui/field';
import { RelativeTime } from '@/components/ui/relative-time';
import { Spinner } from '@/components/ui/spinner';
import { LinkTabs, TabPanel } from '@/components/ui/tabs';
import { formatNumber, shortDigest } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useArtifactScan } from '../api/get-artifact-scan';
import { scanKeys } from '../api/keys';
import { scanExportUrls } from '../api/get-scan-exports';
import { useRequestArtifactScan } from '../api/request-artifact-scan';
import { DatabaseNotice } from './database-notice';
import { PullRestrictedBadge, ScanStatusBadge } from './scan-overview-cell';
import { scanRequestError } from './scan-error';
import { SCAN_TABS, type ScanTab } from './scan-path';
import { hasResults, scanInProgress } from './scan-status';
import { SecretsTable } from './secrets-table';
import { SeverityChips } from './severity-chips';
import { VulnerabilitiesTable } from './vulnerabilities-table';

export const scanTabOf = (params: URLSearchParams): ScanTab => SCAN_TABS.find((tab) => tab === params.get('tab')) ?? 'vulnerabilities';

export interface ScanResultsProps {
  repository: string;
  image: string;
  digest: string;
  /** Admins run a vulnerability check again. */
  canEdit: boolean;
  /** A check was asked for: the page refreshes what other features show (the tag rows). */
  onChanged?: () => unknown;
}

/**
 * An artifact's scan: where it stands (read every 2 s while waiting or running), its counts,
 * platforms and the advisory database it was matched against, downloads of the report and
 * SBOM, then its Vulnerabilities and Secrets tabs. Without a finished scan, its status.
 */
export function ScanResults({ repository, image, digest, canEdit, onChanged }: ScanResultsProps) {
  const { t, i18n } = useTranslation();
  const query = useArtifactScan(repository, image, digest);
  const rescan = useRequestArtifactScan(repository, image, { onChanged });
  const [searchParams] = useSearchParams();
  const { pathname } = useLocation();
  const tab = scanTabOf(searchParams);
  const scan = query.data;
  useFreshResults(repository, image, digest, scan?.scannedAt);

  if (query.isPending) return <Spinner block />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!scan) return null;

  const results = hasResults(scan);
  const multiPlatform = scan.platforms.length > 1;
  const tabLink = (next: ScanTab) => {
    const search = new URLSearchParams();
    if (next !== 'vulnerabilities') search.set('tab', next);
    const qs = search.toString();
    return `${pathname}${qs ? `?${qs}` : ''}`;
  };
  const onRescan = () => rescan.mutate(digest, { onSuccess: () => toast.success(t('scans.artifactQueued', { digest: shortDigest(digest) })) });

  return (
    <div className="details-stack">
      <section className="details-card" aria-labelledby="scan-summary-heading" data-testid="scan-summary" data-status={scan.status}>
        <div className="action-card">
          <div>
            <h2 id="scan-summary-heading" className="section-title">
              {t('scans.summary')}
            </h2>
            <p className="lock-row">
              <ScanStatusBadge status={scan.status} testId="scan-status" />
              {scan.status === 'scanning' && (
                <span className="muted small" role="status">
                  {t('scans.progress', { value: scan.progress })}
                </span>
              )}
              {scan.pullRefusal && <PullRestrictedBadge refusal={scan.pullRefusal} />}
            </p>
          </div>
          {canEdit && (
            <Button onClick={onRescan} busy={rescan.isPending || scanInProgress(scan.status)} data-testid="scan-artifact">
              {t('scans.check')}
            </Button>
          )}
        </div>
        <FormError>{rescan.error ? scanRequestError(t, rescan.error) : null}</FormError>
        {scan.error && (
          <p className={scan.status === 'failed' ? 'callout callout-warning' : 'callout callout-info'} data-testid="scan-error">
            {scan.error}
          </p>
        )}
        {scan.pullRefusal && (
          <p className="callout callout-warning" data-testid="pull-refusal">
            <strong>{t('scans.pullRefusal')}</strong> {scan.pullRefusal}
          </p>
        )}
        {results ? <ScanFacts scan={scan} /> : <p className="muted">{t(`scans.statusHint.${scan.status}`)}</p>}
        <DatabaseNotice />
        {results && <Exports repository={repository} image={image} digest={digest} />}
      </section>
      {results ? (
        <>
          <LinkTabs
            label={t('scans.sections')}
            idPrefix="scan"
            tabs={SCAN_TABS.map((id) => ({
              to: tabLink(id),
              label: id === 'secrets' ? t('scans.secrets.tab', { value: formatNumber(scan.secrets, i18n.language) }) : t('scans.vulns.title'),
              selected: tab === id,
            }))}
          />
          <TabPanel idPrefix="scan" activeIndex={SCAN_TABS.indexOf(tab)}>
            {tab === 'secrets' ? (
              <SecretsTable repository={repository} image={image} digest={digest} multiPlatform={multiPlatform} />
            ) : (
              <VulnerabilitiesTable repository={repository} image={image} digest={digest} multiPlatform={multiPlatform} />
            )}
          </TabPanel>
        </>
      ) : (
        <EmptyState title={t('scans.noResults')}>{t('scans.noResultsHint')}</EmptyState>
      )}
    </div>
  );
}

/** A new scan finished while the page was open (it polls): its vulnerabilities and secrets are read again. */
function useFreshResults(repository: string, image: string, digest: string, scannedAt: string | null | undefined) {
  const queryClient = useQueryClient();
  const seen = useRef(scannedAt);
  useEffect(() => {
    if (seen.current === scannedAt) return;
    const before = seen.current;
    seen.current = scannedAt;
    if (before === undefined) return;
    for (const queryKey of [scanKeys.vulnerabilityLists(repository, image, digest), scanKeys.secrets(repository, image, digest)]) {
      void queryClient.invalidateQueries({ queryKey });
    }
  }, [queryClient, repository, image, digest, scannedAt]);
}

/** The counts, when and against what the artifact was inspected, and its platforms. */
function ScanFacts({ scan }: { scan: ArtifactScan }) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language);
  return (
    <>
      <SeverityChips summary={scan.summary} testId="scan-summary-counts" />
      <FactList
        className="facts-rows"
        facts={[
          { label: t('scans.inspectedAt'), value: <RelativeTime value={scan.scannedAt} />, testId: 'scan-inspected-at' },
          { label: t('scans.packages'), value: <span className="num">{n(scan.packages)}</span>, testId: 'scan-packages' },
          { label: t('scans.fixable'), value: t('scans.fixableValue', { critical: n(scan.fixable.critical), high: n(scan.fixable.high) }), testId: 'scan-fixable' },
          { label: t('scans.secrets.title'), value: <span className="num">{n(scan.secrets)}</span>, testId: 'scan-secrets' },
          {
            label: t('scans.matchedAgainst'),
            testId: 'scan-database',
            value: scan.database ? (
              <>
                <code title={scan.database.version}>{shortDigest(scan.database.version)}</code> · <RelativeTime value={scan.database.updatedAt} fallback={t('scans.db.unknownAge')} />
              </>
            ) : (
              <span className="muted">—</span>
            ),
          },
        ]}
      />
      {scan.platforms.length > 0 && (
        <div>
          <h3 className="command-section-title">{t('scans.platforms')}</h3>
          <ul className="plain-list" data-testid="scan-platforms">
            {scan.platforms.map((p) => (
              <li key={p.digest}>
                <span className="strong">{p.platform ?? t('scans.unknownPlatform')}</span>
                {p.os && <span className="muted"> · {p.os}</span>}
                <span className="muted">
                  {' '}
                  · {t('scans.packageCount', { count: p.packages, value: n(p.packages) })} · <code title={p.digest}>{shortDigest(p.digest)}</code>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/** Downloads of the full report (JSON) and the SBOM (CycloneDX JSON). */
function Exports({ repository, image, digest }: { repository: string; image: string; digest: string }) {
  const { t } = useTranslation();
  const urls = scanExportUrls(repository, image, digest);
  return (
    <div>
      <h3 className="command-section-title">{t('scans.export')}</h3>
      <div className="button-row">
        <a className={buttonClass('secondary', 'sm')} href={urls.report} download data-testid="export-report">
          {t('scans.exportReport')}
        </a>
        <a className={buttonClass('secondary', 'sm')} href={urls.sbom} download data-testid="export-sbom">
          {t('scans.exportSbom')}
        </a>
      </div>
    </div>
  );
}
