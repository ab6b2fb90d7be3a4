import { useTranslation } from '@/lib/use-translation';
import type { Severity } from '@berth/api';
import { Badge } from '@/components/ui/badge';
import { SEVERITY_TONE } from './severity';

/** One level as a badge ("Critical"), with the CVSS score beside it when there is one. */
export function SeverityBadge({ severity, score }: { severity: Severity; score?: number | null }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="lock-row" data-testid="severity" data-severity={severity}>
      <Badge tone={SEVERITY_TONE[severity]}>{t(`scans.severity.${severity}`)}</Badge>
      {score !== null && score !== undefined && <span className="muted small num">{score.toLocaleString(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}</span>}
    </span>
  );
}
