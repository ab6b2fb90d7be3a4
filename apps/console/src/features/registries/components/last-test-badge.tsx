import { useTranslation } from '@/lib/use-translation';
import type { ConnectionTest } from '@berth/api';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';

/** The last connection test: passed or failed (its message as the tooltip), and when. */
export function LastTestBadge({ test }: { test: ConnectionTest | null }) {
  const { t } = useTranslation();
  if (!test) return <span className="muted">{t('registries.neverTested')}</span>;
  return (
    <span className="inline-stack" data-testid="last-test" data-ok={String(test.ok)}>
      <Badge tone={test.ok ? 'success' : 'danger'} title={test.message}>
        {test.ok ? t('registries.testPassed') : t('registries.testFailed')}
      </Badge>{' '}
      <span className="muted small">
        <RelativeTime value={test.at} />
      </span>
    </span>
  );
}
