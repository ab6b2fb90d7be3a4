import { useTranslation } from '@/lib/use-translation';
import type { VulnerabilityDatabase } from '@berth/api';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatNumber, shortDigest } from '@/lib/format';
import { useVulnerabilityDatabase } from '../api/get-vulnerability-database';
import { databaseWarning } from './scan-status';

/** The advisory database in one line: its version, when it was updated and how many records it has. */
export function DatabaseAge({ db }: { db: VulnerabilityDatabase }) {
  const { t, i18n } = useTranslation();
  if (!db.loaded) return <span className="muted">{t('scans.db.none')}</span>;
  return (
    <span data-testid="db-age" data-age-days={db.ageDays ?? undefined} title={db.version ?? undefined}>
      {t('scans.db.version', { version: db.version ? shortDigest(db.version) : '—', records: formatNumber(db.records, i18n.language) })} ·{' '}
      {t('scans.db.updated')} <RelativeTime value={db.updatedAt} fallback={t('scans.db.unknownAge')} />
      {db.ageDays !== null && ` (${t('scans.db.ageDays', { count: db.ageDays, value: formatNumber(db.ageDays, i18n.language) })})`}
    </span>
  );
}

/**
 * Where the advisory database stands, with a warning when it is not loaded (no vulnerability
 * check can run) or stale (results may miss recent advisories). `quiet`: say nothing while it is fine.
 */
export function DatabaseNotice({ quiet = false }: { quiet?: boolean }) {
  const { t, i18n } = useTranslation();
  const { data: db } = useVulnerabilityDatabase();
  if (!db) return null;
  const warning = databaseWarning(db);
  if (warning === 'missing') {
    return (
      <p className="callout callout-warning" role="status" data-testid="db-warning" data-warning="missing">
        {t('scans.db.missing')}
      </p>
    );
  }
  if (warning === 'stale') {
    return (
      <p className="callout callout-warning" role="status" data-testid="db-warning" data-warning="stale">
        {t('scans.db.stale', { days: formatNumber(db.ageDays ?? 0, i18n.language), after: formatNumber(db.staleAfterDays, i18n.language) })}{' '}
        <DatabaseAge db={db} />
      </p>
    );
  }
  if (quiet) return null;
  return (
    <p className="muted small" data-testid="db-notice">
      {t('scans.db.label')}: <DatabaseAge db={db} />
    </p>
  );
}
