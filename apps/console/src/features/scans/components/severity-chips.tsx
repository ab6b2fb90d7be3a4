import { useTranslation } from '@/lib/use-translation';
import type { SeverityCounts } from '@berth/api';
import { Badge } from '@/components/ui/badge';
import { formatNumber } from '@/lib/format';
import { countedLevels, SEVERITY_TONE } from './severity';

/**
 * Vulnerability counts as compact chips, most severe first ("C 2", "H 5"), only the levels
 * that have any; each says "2 Critical" to screen readers and as its tooltip. None at all
 * reads "No vulnerabilities".
 */
export function SeverityChips({ summary, testId }: { summary: SeverityCounts; testId?: string }) {
  const { t, i18n } = useTranslation();
  const levels = countedLevels(summary);
  if (levels.length === 0) {
    return (
      <Badge tone="success" testId={testId}>
        {t('scans.noVulnerabilities')}
      </Badge>
    );
  }
  return (
    <ul className="chips" data-testid={testId} aria-label={t('scans.countsLabel')}>
      {levels.map(({ level, count }) => {
        const value = formatNumber(count, i18n.language);
        const words = t('scans.levelCount', { count, value, level: t(`scans.severity.${level}`) });
        return (
          <li key={level} data-level={level} data-count={count}>
            <Badge tone={SEVERITY_TONE[level]} title={words}>
              <span aria-hidden="true">
                {t(`scans.severityShort.${level}`)} {value}
              </span>
              <span className="visually-hidden">{words}</span>
            </Badge>
          </li>
        );
      })}
    </ul>
  );
}
