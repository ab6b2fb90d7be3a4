import { useTranslation } from '@/lib/use-translation';
import type { DeletionPolicy } from '@berth/api';
import { QueryCard } from '@/components/ui/query-card';
import { toast } from '@/lib/toast';
import { useRepositoryDeletionPolicy } from '../api/get-repository-deletion-policy';
import { useUpdateRepositoryDeletionPolicy } from '../api/update-repository-deletion-policy';
import { DeletionPolicyForm } from './deletion-policy-form';
import { PolicyIntro } from './policy-intro';

/** A repository's default deletion policy, which its images without a policy of their own inherit. */
export function RepositoryDeletionPolicyPanel({ repository, canEdit }: { repository: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const query = useRepositoryDeletionPolicy(repository);
  const save = useUpdateRepositoryDeletionPolicy(repository);
  return (
    <QueryCard
      id="repository-policy-heading"
      title={t('policy.title')}
      intro={<p className="muted">{t('policy.repositoryIntro', { repository })}</p>}
      testId="repository-deletion-policy"
      query={query}
    >
      {(data, updatedAt) => (
        <>
          <PolicyIntro runsAt={data.runsAt} enabled={data.policy.enabled} />
          {!data.configured && <p className="callout callout-info">{t('policy.notConfigured')}</p>}
          <DeletionPolicyForm
            key={updatedAt}
            policy={data.policy}
            canEdit={canEdit}
            saving={save.isPending}
            error={save.error}
            // The repository default is always a policy (never `{inherit}`).
            onSave={(body) => 'enabled' in body && save.mutate(body as DeletionPolicy, { onSuccess: () => toast.success(t('policy.saved')) })}
          />
        </>
      )}
    </QueryCard>
  );
}
