import { useTranslation } from '@/lib/use-translation';
import { QueryCard } from '@/components/ui/query-card';
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
  return (
    <QueryCard id="repository-scan-settings-heading" title={t('scans.settings.repositoryTitle')} testId="repository-scan-settings" query={query}>
      {(data, updatedAt) => (
        <>
          <SettingIntro text={t('scans.settings.intro')} on={data.settings.scanOnPush} onLabel={t('scans.settings.pushOn')} offLabel={t('scans.settings.pushOff')} />
          {!data.configured && <p className="callout callout-info">{t('scans.settings.notConfigured')}</p>}
          <ScanSettingsForm
            key={updatedAt}
            settings={data.settings}
            canEdit={canEdit}
            saving={save.isPending}
            error={save.error}
            onSave={(body) => 'scanOnPush' in body && save.mutate(body, { onSuccess: () => toast.success(t('scans.settings.saved')) })}
          />
        </>
      )}
    </QueryCard>
  );
}

function RepositoryPullRestrictionPanel({ repository, canEdit, onChanged }: { repository: string; canEdit: boolean; onChanged?: () => unknown }) {
  const { t } = useTranslation();
  const query = useRepositoryPullRestriction(repository);
  const save = useUpdateRepositoryPullRestriction(repository, { onChanged });
  return (
    <QueryCard id="repository-pull-restriction-heading" title={t('scans.restriction.repositoryTitle')} testId="repository-pull-restriction" query={query}>
      {(data, updatedAt) => (
        <>
          <SettingIntro text={t('scans.restriction.intro')} on={data.restriction.enabled} onLabel={t('scans.on')} offLabel={t('scans.off')} />
          {!data.configured && <p className="callout callout-info">{t('scans.restriction.notConfigured')}</p>}
          <PullRestrictionForm
            key={updatedAt}
            restriction={data.restriction}
            canEdit={canEdit}
            saving={save.isPending}
            error={save.error}
            onSave={(body) => 'enabled' in body && save.mutate(body, { onSuccess: () => toast.success(t('scans.restriction.saved')) })}
          />
        </>
      )}
    </QueryCard>
  );
}
