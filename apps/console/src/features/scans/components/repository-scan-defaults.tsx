import { useTranslation } from '@/lib/use-translation';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { toast } from '@/lib/toast';
import { useRepositoryPullRestriction } from '../api/get-repository-pull-restriction';
import { useRepositoryScanSettings } from '../api/get-repository-scan-settings';
import { useUpdateRepositoryPullRestriction } from '../api/update-repository-pull-restriction';
import { useUpdateRepositoryScanSettings } from '../api/update-repository-scan-settings';
import { DatabaseNotice } from './database-notice';
import { PullRestrictionForm } from './pull-restriction-form';
import { ScanSettingsForm } from './scan-settings-form';
import { SettingIntro } from './setting-intro';

/** A repository's Scanning tab: the default scan settings and pull restriction of its images that have none of their own. */
export function RepositoryScanDefaults({ repository, canEdit, onChanged }: { repository: string; canEdit: boolean; onChanged?: () => unknown }) {
  const { t } = useTranslation();
  return (
    <div className="details-stack">
      <div>
        <p className="muted">{t('scans.repositoryIntro', { repository })}</p>
        <DatabaseNotice />
      </div>
      <RepositoryScanSettingsPanel repository={repository} canEdit={canEdit} onChanged={onChanged} />
      <RepositoryPullRestrictionPanel repository={repository} canEdit={canEdit} onChanged={onChanged} />
    </div>
  );
}

function RepositoryScanSettingsPanel({ repository, canEdit, onChanged }: { repository: string; canEdit: boolean; onChanged?: () => unknown }) {
  const { t } = useTranslation();
  const query = useRepositoryScanSettings(repository);
  const save = useUpdateRepositoryScanSettings(repository, { onChanged });
  const data = query.data;
  return (
    <section className="details-card" aria-labelledby="repository-scan-settings-heading" data-testid="repository-scan-settings">
      <h2 id="repository-scan-settings-heading" className="section-title">
        {t('scans.settings.repositoryTitle')}
      </h2>
      {query.isPending ? (
        <Spinner block />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        data && (
          <>
            <SettingIntro text={t('scans.settings.intro')} on={data.settings.scanOnPush} onLabel={t('scans.settings.pushOn')} offLabel={t('scans.settings.pushOff')} />
            {!data.configured && <p className="callout callout-info">{t('scans.settings.notConfigured')}</p>}
            <ScanSettingsForm
              key={query.dataUpdatedAt}
              settings={data.settings}
              canEdit={canEdit}
              saving={save.isPending}
              error={save.error}
              onSave={(body) => 'scanOnPush' in body && save.mutate(body, { onSuccess: () => toast.success(t('scans.settings.saved')) })}
            />
          </>
        )
      )}
    </section>
  );
}

function RepositoryPullRestrictionPanel({ repository, canEdit, onChanged }: { repository: string; canEdit: boolean; onChanged?: () => unknown }) {
  const { t } = useTranslation();
  const query = useRepositoryPullRestriction(repository);
  const save = useUpdateRepositoryPullRestriction(repository, { onChanged });
  const data = query.data;
  return (
    <section className="details-card" aria-labelledby="repository-pull-restriction-heading" data-testid="repository-pull-restriction">
      <h2 id="repository-pull-restriction-heading" className="section-title">
        {t('scans.restriction.repositoryTitle')}
      </h2>
      {query.isPending ? (
        <Spinner block />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        data && (
          <>
            <SettingIntro text={t('scans.restriction.intro')} on={data.restriction.enabled} onLabel={t('scans.on')} offLabel={t('scans.off')} />
            {!data.configured && <p className="callout callout-info">{t('scans.restriction.notConfigured')}</p>}
            <PullRestrictionForm
              key={query.dataUpdatedAt}
              restriction={data.restriction}
              canEdit={canEdit}
              saving={save.isPending}
              error={save.error}
              onSave={(body) => 'enabled' in body && save.mutate(body, { onSuccess: () => toast.success(t('scans.restriction.saved')) })}
            />
          </>
        )
      )}
    </section>
  );
}
