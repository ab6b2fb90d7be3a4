import { useTranslation } from '@/lib/use-translation';
import { QueryCard } from '@/components/ui/query-card';
import { toast } from '@/lib/toast';
import { useImageDeletionPolicy } from '../api/get-image-deletion-policy';
import { useUpdateImageDeletionPolicy } from '../api/update-image-deletion-policy';
import { DeletionPolicyForm } from './deletion-policy-form';
import { PolicyIntro } from './policy-intro';

/** The Details tab's deletion policy: the image's own rules, or the repository default it inherits. */
export function ImageDeletionPolicySection({ repository, image, canEdit }: { repository: string; image: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const query = useImageDeletionPolicy(repository, image);
  const save = useUpdateImageDeletionPolicy(repository, image);
  return (
    <QueryCard id="image-policy-heading" title={t('policy.title')} testId="image-deletion-policy" query={query}>
      {(data, updatedAt) => (
        <>
          <PolicyIntro runsAt={data.runsAt} source={data.source} enabled={data.policy.enabled} />
          <DeletionPolicyForm
            // A saved policy starts the form again from what the server kept.
            key={updatedAt}
            policy={data.source === 'image' ? data.policy : null}
            inherit={{ inheriting: data.source !== 'image', repositoryDefault: data.repositoryDefault }}
            canEdit={canEdit}
            saving={save.isPending}
            error={save.error}
            onSave={(body) => save.mutate(body, { onSuccess: () => toast.success(t('policy.saved')) })}
          />
        </>
      )}
    </QueryCard>
  );
}
