import { useTranslation } from '@/lib/use-translation';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { toast } from '@/lib/toast';
import { useImageScanSettings } from '../api/get-image-scan-settings';
import { useUpdateImageScanSettings } from '../api/update-image-scan-settings';
import { SettingIntro } from './setting-intro';
import { ScanSettingsForm } from './scan-settings-form';

/** The Details tab's scan settings: the image's own, or the repository default it inherits. */
export function ImageScanSettingsSection({ repository, image, canEdit, onChanged }: { repository: string; image: string; canEdit: boolean; onChanged?: () => unknown }) {
  const { t } = useTranslation();
  const query = useImageScanSettings(repository, image);
  const save = useUpdateImageScanSettings(repository, image, { onChanged });
  const data = query.data;
  return (
    <section className="details-card" aria-labelledby="image-scan-settings-heading" data-testid="image-scan-settings">
      <h2 id="image-scan-settings-heading" className="section-title">
        {t('scans.settings.title')}
      </h2>
      {query.isPending ? (
        <Spinner block />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        data && (
          <>
            <SettingIntro
              text={t('scans.settings.intro')}
              on={data.settings.scanOnPush}
              onLabel={t('scans.settings.pushOn')}
              offLabel={t('scans.settings.pushOff')}
              applies={t(`scans.settings.applies.${data.source}`)}
            />
            <ScanSettingsForm
              key={query.dataUpdatedAt}
              settings={data.source === 'image' ? data.settings : null}
              inherit={{ inheriting: data.source !== 'image', repositoryDefault: data.repositoryDefault }}
              canEdit={canEdit}
              saving={save.isPending}
              error={save.error}
              onSave={(body) => save.mutate(body, { onSuccess: () => toast.success(t('scans.settings.saved')) })}
            />
          </>
        )
      )}
    </section>
  );
}
