import { useId } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Image } from '@berth/api';
import { LockBadge } from '@/components/ui/lock-badge';
import { Switch } from '@/components/ui/switch';
import { deleteErrorMessage } from '@/lib/delete-error';
import { toast } from '@/lib/toast';
import { useUpdateImage } from '../api/update-image';

/**
 * The image's lock: what it means, and for admins a switch that locks or unlocks it at once
 * (while the image is Active: on one being deleted, or whose delete failed, only delete may be retried).
 */
export function ImageLock({ repository, image, canEdit }: { repository: string; image: Image; canEdit: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const update = useUpdateImage(repository, image.name, { errorToast: false });
  const onChange = (locked: boolean) =>
    update.mutate(
      { locked },
      {
        onSuccess: () => toast.success(t(locked ? 'imageDetails.lockedToast' : 'imageDetails.unlockedToast', { name: image.name })),
        onError: (error) => toast.error(deleteErrorMessage(t, error, { change: 'lock' })),
      },
    );
  return (
    <div className="lock-editor" data-testid="image-lock">
      <h3 className="command-section-title" id={`${id}-label`}>
        {t('imageDetails.lock')}
      </h3>
      <div className="lock-row">
        {canEdit && (
          <Switch
            checked={image.locked}
            onChange={onChange}
            labelledBy={`${id}-label`}
            describedBy={`${id}-text`}
            busy={update.isPending}
            disabled={image.status === 'Deleting' || image.status === 'Inactive'}
          />
        )}
        {image.locked && <LockBadge />}
        <p id={`${id}-text`} className="lock-text">
          {t(image.locked ? 'imageDetails.lockedText' : 'imageDetails.unlockedText')}
          {(image.status === 'Deleting' || image.status === 'Inactive') && ` ${t('deleteErrors.notActive')}`}
        </p>
      </div>
    </div>
  );
}
