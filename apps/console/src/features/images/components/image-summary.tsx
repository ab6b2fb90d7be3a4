import { useTranslation } from '@/lib/use-translation';
import { ErrorState } from '@/components/ui/error-state';
import { LockBadge } from '@/components/ui/lock-badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { Spinner } from '@/components/ui/spinner';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatNumber } from '@/lib/format';
import { useImage } from '../api/get-image';

/** An image at a glance: pulls, artifacts, tags, last modified, status and lock (the description is on the Details tab). */
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
          <dd className="badges">
            <StatusBadge status={image.status} />
            {image.locked && <LockBadge testId="image-lock-badge" />}
          </dd>
        </div>
      </dl>
    </section>
  );
}
