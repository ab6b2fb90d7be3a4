import { useTranslation } from '@/lib/use-translation';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { toast } from '@/lib/toast';
import { useImagePullRestriction } from '../api/get-image-pull-restriction';
import { useUpdateImagePullRestriction } from '../api/update-image-pull-restriction';
import { PullRestrictionForm } from './pull-restriction-form';
import { SettingIntro } from './setting-intro';

/** The Details tab's pull restriction: the image's own, or the repository default it inherits. */
export function ImagePullRestrictionSection({ repository, image, canEdit, onChanged }: { repository: string; image: string; canEdit: boolean; onChanged?: () => unknown }) {
  const { t } = useTranslation();
  const query = useImagePullRestriction(repository, image);
  const save = useUpdateImagePullRestriction(repository, image, { onChanged });
  const data = query.data;
  return (
    <section className="details-card" aria-labelledby="image-pull-restriction-heading" data-testid="image-pull-restriction">
      <h2 id="image-pull-restriction-heading" className="section-title">
        {t('scans.restriction.title')}
      </h2>
      {query.isPending ? (
        <Spinner block />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        data && (
          <>
            <SettingIntro
              text={t('scans.restriction.intro')}
              on={data.restriction.enabled}
              onLabel={t('scans.on')}
              offLabel={t('scans.off')}
              applies={t(`scans.restriction.applies.${data.source}`)}
            />
            <PullRestrictionForm
              key={query.dataUpdatedAt}
              restriction={data.source === 'image' ? data.restriction : null}
              inherit={{ inheriting: data.source !== 'image', repositoryDefault: data.repositoryDefault }}
              canEdit={canEdit}
              saving={save.isPending}
              error={save.error}
              onSave={(body) => save.mutate(body, { onSuccess: () => toast.success(t('scans.restriction.saved')) })}
            />
          </>
        )
      )}
    </section>
  );
}
