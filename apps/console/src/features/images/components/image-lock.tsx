import { useId } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Image } from '@berth/api';
import { LockBadge } from '@/components/ui/lock-badge';
import { Switch } from '@/components/ui/switch';
import { toast } from '@/lib/toast';
import { useUpdateImage } from '../api/update-image';

/** The image's lock: what it means, and for admins a switch that locks or unlocks it at once. */
export function ImageLock({ repository, image, canEdit }: { repository: string; image: Image; canEdit: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const update = useUpdateImage(repository, image.name);
  const onChange = (locked: boolean) =>
    update.mutate(
      { locked },
      { onSuccess: () => toast.success(t(locked ? 'imageDetails.lockedToast' : 'imageDetails.unlockedToast', { name: image.name })) },
    );
  return (
    <div className="lock-editor" data-testid="image-lock">
      <h3 className="command-section-title" id={`${id}-label`}>
        {t('imageDetails.lock')}
      </h3>
      <div className="lock-row">
        {canEdit && <Switch checked={image.locked} onChange={onChange} labelledBy={`${id}-label`} describedBy={`${id}-text`} busy={update.isPending} />}
        {image.locked && <LockBadge />}
        <p id={`${id}-text`} className="lock-text">
          {t(image.locked ? 'imageDetails.lockedText' : 'imageDetails.unlockedText')}
        </p>
      </div>
    </div>
  );
}
