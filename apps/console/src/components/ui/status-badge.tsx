import { useTranslation } from '@/lib/use-translation';
import type { Status } from '@berth/api';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { InfoIcon } from './icons';

/** Badge colours of the statuses of images, artifacts and tags. */
export const STATUS_TONE: Record<Status, BadgeTone> = { Active: 'success', Editing: 'info', Deleting: 'warning', Inactive: 'danger' };

/**
 * The status of an image, artifact or tag; its tooltip says what the status means. Inactive
 * (a delete the registry refused) also says, with an icon and for screen readers, that only
 * delete may be retried.
 */
export function StatusBadge({ status, testId }: { status: Status; testId?: string }) {
  const { t } = useTranslation();
  const badge = (
    <Badge tone={STATUS_TONE[status] ?? 'neutral'} title={t(`statusHint.${status}`)} testId={testId}>
      {t(`status.${status}`)}
      {status === 'Inactive' && <InfoIcon />}
    </Badge>
  );
  if (status !== 'Inactive') return badge;
  return (
    <>
      {badge}
      <span className="visually-hidden">{t('statusHint.Inactive')}</span>
    </>
  );
}
