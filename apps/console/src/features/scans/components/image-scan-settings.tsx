import { useTranslation } from '@/lib/use-translation';
import { QueryCard } from '@/components/ui/query-card';
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
  return (
    <QueryCard id="image-scan-settings-heading" title={t('scans.settings.title')} testId="image-scan-settings" query={query}>
      {(data, updatedAt) => (
        <>
          <SettingIntro
            text={t('scans.settings.intro')}
            on={data.settings.scanOnPush}
            onLabel={t('scans.settings.pushOn')}
            offLabel={t('scans.settings.pushOff')}
            applies={t(`scans.settings.applies.${data.source}`)}
          />
          <ScanSettingsForm
            key={updatedAt}
            settings={data.source === 'image' ? data.settings : null}
            inherit={{ inheriting: data.source !== 'image', repositoryDefault: data.repositoryDefault }}
            canEdit={canEdit}
            saving={save.isPending}
            error={save.error}
            onSave={(body) => save.mutate(body, { onSuccess: () => toast.success(t('scans.settings.saved')) })}
          />
        </>
      )}
    </QueryCard>
  );
}
