import { useTranslation } from '@/lib/use-translation';
import type { DeletionPolicy } from '@berth/api';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
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
  const data = query.data;
  return (
    <section className="details-card" aria-labelledby="repository-policy-heading" data-testid="repository-deletion-policy">
      <div>
        <h2 id="repository-policy-heading" className="section-title">
          {t('policy.title')}
        </h2>
        <p className="muted">{t('policy.repositoryIntro', { repository })}</p>
      </div>
      {query.isPending ? (
        <Spinner block />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        data && (
          <>
            <PolicyIntro runsAt={data.runsAt} enabled={data.policy.enabled} />
            {!data.configured && <p className="callout callout-info">{t('policy.notConfigured')}</p>}
            <DeletionPolicyForm
              key={query.dataUpdatedAt}
              policy={data.policy}
              canEdit={canEdit}
              saving={save.isPending}
              error={save.error}
              // The repository default is always a policy (never `{inherit}`).
              onSave={(body) => 'enabled' in body && save.mutate(body as DeletionPolicy, { onSuccess: () => toast.success(t('policy.saved')) })}
            />
          </>
        )
      )}
    </section>
  );
}
