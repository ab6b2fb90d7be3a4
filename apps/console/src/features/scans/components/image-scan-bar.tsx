import { useTranslation } from '@/lib/use-translation';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/field';
import { formatNumber } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useRequestImageScan } from '../api/request-image-scan';
import { DatabaseNotice } from './database-notice';
import { scanRequestError } from './scan-error';

/**
 * Above an image's tags: "Vulnerability check" of every artifact of the image (admins), and
 * the advisory database's age, with a warning when it is stale or not loaded.
 */
export function ImageScanBar({ repository, image, canEdit, onChanged }: { repository: string; image: string; canEdit: boolean; onChanged?: () => unknown }) {
  const { t, i18n } = useTranslation();
  const scan = useRequestImageScan(repository, image, { onChanged });
  const onScan = () =>
    scan.mutate(undefined, {
      onSuccess: ({ queued, artifacts }) =>
        toast.success(
          t('scans.imageQueued', { count: artifacts, queued: formatNumber(queued, i18n.language), artifacts: formatNumber(artifacts, i18n.language) }),
        ),
    });
  return (
    <div className="report" data-testid="image-scan-bar">
      <div className="action-card">
        <div>
          <h3 className="command-section-title">{t('scans.check')}</h3>
          <p className="muted small">{t('scans.checkIntro')}</p>
        </div>
        {canEdit && (
          <Button onClick={onScan} busy={scan.isPending} data-testid="scan-image">
            {t('scans.check')}
          </Button>
        )}
      </div>
      <DatabaseNotice />
      <FormError>{scan.error ? scanRequestError(t, scan.error) : null}</FormError>
    </div>
  );
}
