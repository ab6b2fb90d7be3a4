import { useId } from 'react';
import { Link } from 'react-router';
import { useTranslation } from '@/lib/use-translation';
import type { ScanOverview, ScanStatus } from '@berth/api';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { hasResults } from './scan-status';
import { SeverityChips } from './severity-chips';

// Not `info`: the console's info badges are digests and platforms, in monospace.
const STATUS_TONE: Record<ScanStatus, BadgeTone> = { none: 'neutral', queued: 'neutral', scanning: 'warning', done: 'success', failed: 'danger', unsupported: 'neutral' };

/** A scan's status in a word (Queued, Scanning, Failed, Not scannable, Not scanned). */
export function ScanStatusBadge({ status, testId }: { status: ScanStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge tone={STATUS_TONE[status]} title={t(`scans.statusHint.${status}`)} testId={testId}>
      {status === 'scanning' && <span className="spinner spinner-inline" aria-hidden="true" />}
      {t(`scans.status.${status}`)}
    </Badge>
  );
}

/** "Pull restricted", with what a pull is told now as its tooltip and its description for screen readers. */
export function PullRestrictedBadge({ refusal }: { refusal: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <span className="badge badge-danger" title={refusal} aria-describedby={id} data-testid="pull-restricted" data-refusal={refusal}>
        {t('scans.pullRestricted')}
      </span>
      <span id={id} className="visually-hidden">
        {refusal}
      </span>
    </>
  );
}

/**
 * A list row's scan: the counts by severity (linked to the results) and when it was
 * inspected, or the status while there are none; "Pull restricted" when a pull is refused now.
 */
export function ScanOverviewCell({ scan, to, subject }: { scan: ScanOverview | undefined; to: string; subject: string }) {
  const { t } = useTranslation();
  if (!scan) return <span className="muted">—</span>;
  const results = hasResults(scan);
  return (
    <div data-testid="scan-cell" data-status={scan.status}>
      <div className="lock-row">
        {results ? (
          <Link to={to} className="digest-link" title={t('scans.openResults', { subject })} data-testid="scan-counts-link">
            <SeverityChips summary={scan.summary} testId="scan-counts" />
          </Link>
        ) : (
          <ScanStatusBadge status={scan.status} testId="scan-status" />
        )}
        {results && scan.status !== 'done' && <ScanStatusBadge status={scan.status} testId="scan-status" />}
        {scan.pullRefusal && <PullRestrictedBadge refusal={scan.pullRefusal} />}
      </div>
      {scan.scannedAt && (
        <span className="muted small" data-testid="scan-inspected">
          {t('scans.inspected')} <RelativeTime value={scan.scannedAt} />
        </span>
      )}
    </div>
  );
}
