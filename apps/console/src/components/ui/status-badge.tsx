import { useTranslation } from '@/lib/use-translation';
import type { Status } from '@berth/api';
import { Badge, type BadgeTone } from '@/components/ui/badge';

/** Badge colours of the statuses of images, artifacts and tags. */
export const STATUS_TONE: Record<Status, BadgeTone> = { Active: 'success', Editing: 'info', Deleting: 'warning', Inactive: 'danger' };

/** The status of an image, artifact or tag; its tooltip says what the status means. */
export function StatusBadge({ status, testId }: { status: Status; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge tone={STATUS_TONE[status] ?? 'neutral'} title={t(`statusHint.${status}`)} testId={testId}>
      {t(`status.${status}`)}
    </Badge>
  );
}
