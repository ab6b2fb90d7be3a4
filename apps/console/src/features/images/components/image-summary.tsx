import { useTranslation } from '@/lib/use-translation';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { ErrorState } from '@/components/ui/error-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Spinner } from '@/components/ui/spinner';
import { formatNumber } from '@/lib/format';
import { useImage } from '../api/get-image';

/** Badge colours of the image statuses. */
export const IMAGE_STATUS_TONE: Record<string, BadgeTone> = { Active: 'success', Editing: 'info', Deleting: 'warning', Inactive: 'danger' };

/** An image at a glance: pulls, artifacts, tags, last modified and status (the description is on the Details tab). */
export function ImageSummary({ repository, name }: { repository: string; name: string }) {
  const { t, i18n } = useTranslation();
  const query = useImage(repository, name);
  if (query.isPending) return <Spinner block />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const image = query.data;
  return (
    <section className="summary summary-stats" aria-label={t('images.summary')}>
      <dl className="stats">
        <div className="stat">
          <dt>{t('images.pullCount')}</dt>
          <dd className="num" data-testid="image-pull-count">
            {formatNumber(image.pullCount, i18n.language)}
          </dd>
        </div>
        <div className="stat">
          <dt>{t('images.artifactCount')}</dt>
          <dd className="num" data-testid="image-artifact-count">
            {formatNumber(image.artifactCount, i18n.language)}
          </dd>
        </div>
        <div className="stat">
          <dt>{t('images.tagCount')}</dt>
          <dd className="num">{formatNumber(image.tagCount, i18n.language)}</dd>
        </div>
        <div className="stat">
          <dt>{t('images.lastModified')}</dt>
          <dd>
            <RelativeTime value={image.lastModifiedAt} />
          </dd>
        </div>
        <div className="stat">
          <dt>{t('fields.status')}</dt>
          <dd>
            <Badge tone={IMAGE_STATUS_TONE[image.status] ?? 'neutral'}>{t(`images.status.${image.status}`)}</Badge>
          </dd>
        </div>
      </dl>
    </section>
  );
}
