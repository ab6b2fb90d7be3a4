import { useTranslation } from '@/lib/use-translation';
import { QueryCard } from '@/components/ui/query-card';
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
  return (
    <QueryCard id="image-pull-restriction-heading" title={t('scans.restriction.title')} testId="image-pull-restriction" query={query}>
      {(data, updatedAt) => (
        <>
          <SettingIntro
            text={t('scans.restriction.intro')}
            on={data.restriction.enabled}
            onLabel={t('scans.on')}
            offLabel={t('scans.off')}
            applies={t(`scans.restriction.applies.${data.source}`)}
          />
          <PullRestrictionForm
            key={updatedAt}
            restriction={data.source === 'image' ? data.restriction : null}
            inherit={{ inheriting: data.source !== 'image', repositoryDefault: data.repositoryDefault }}
            canEdit={canEdit}
            saving={save.isPending}
            error={save.error}
            onSave={(body) => save.mutate(body, { onSuccess: () => toast.success(t('scans.restriction.saved')) })}
          />
        </>
      )}
    </QueryCard>
  );
}
