import { useTranslation } from '@/lib/use-translation';
import type { ImageDeletionPolicy } from '@berth/api';
import { Badge } from '@/components/ui/badge';

/** What a deletion policy does (the rules in one sentence), when it runs, and which policy applies. */
export function PolicyIntro({ runsAt, source, enabled }: { runsAt: string; source?: ImageDeletionPolicy['source']; enabled: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="policy-intro">
      <p className="muted" data-testid="policy-rules-text">
        {t('policy.rules')}
      </p>
      <p>
        <Badge tone={enabled ? 'success' : 'neutral'} testId="policy-enabled">
          {enabled ? t('policy.on') : t('policy.off')}
        </Badge>{' '}
        {source && <span data-testid="policy-applies">{t(`policy.applies.${source}`)} </span>}
        <span data-testid="policy-runs-at">{t('policy.runsAt', { time: runsAt })}</span>
      </p>
    </div>
  );
}
