import { useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { ArtifactDeleteResult, Image } from '@berth/api';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormError, TextField } from '@/components/ui/field';
import { ItemList } from '@/components/ui/item-list';
import { deleteErrorMessage } from '@/lib/delete-error';
import { formatBytes, shortDigest } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useDeleteImage } from '../api/delete-image';

export interface DeleteImageDialogProps {
  repository: string;
  image: Image;
  /** Everything went: the page leaves the image. */
  onDeleted: () => unknown;
  onClose: () => void;
}

/**
 * "Delete image?": says what goes (its artifacts and tags) and asks for the image's name to be
 * typed. A lock, and any artifact the registry or a lock kept, are shown in the dialog.
 */
export function DeleteImageDialog({ repository, image, onDeleted, onClose }: DeleteImageDialogProps) {
  const { t, i18n } = useTranslation();
  const remove = useDeleteImage(repository, image.name);
  const [typed, setTyped] = useState('');
  const [kept, setKept] = useState<ArtifactDeleteResult[] | null>(null);

  const onConfirm = () =>
    remove.mutate(undefined, {
      onSuccess: (response) => {
        const refused = response.results.filter((r) => r.outcome === 'refused');
        if (refused.length > 0) return setKept(refused);
        toast.success(t('imageDelete.deleted', { name: image.name, size: formatBytes(response.bytes, i18n.language) }));
        onClose();
        onDeleted();
      },
    });

  const what = t('imageDelete.what', {
    artifacts: t('imageDelete.artifacts', { count: image.artifactCount }),
    tags: t('imageDelete.tags', { count: image.tagCount }),
    image: `${repository}/${image.name}`,
  });

  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && !remove.isPending && onClose()}
      title={t('imageDelete.dialogTitle', { name: image.name })}
      confirmLabel={t('imageDelete.confirm')}
      onConfirm={onConfirm}
      busy={remove.isPending}
      confirmDisabled={typed !== image.name}
      danger
      details={
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed === image.name && !remove.isPending) onConfirm();
          }}
        >
          <TextField
            label={t('imageDelete.typeName', { name: image.name })}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
          <FormError>{remove.error ? deleteErrorMessage(t, remove.error, { imageLocked: image.locked }) : null}</FormError>
          {kept && (
            <div className="form-error" role="alert" data-testid="delete-image-kept">
              <p>{t('imageDelete.partly')}</p>
              <ItemList label={t('imageDelete.partly')}>
                {kept.map((r) => (
                  <li key={r.digest}>
                    <code>{shortDigest(r.digest)}</code>
                    {r.tags.length > 0 && ` (${r.tags.join(', ')})`}
                    {r.message && ` — ${r.message}`}
                  </li>
                ))}
              </ItemList>
            </div>
          )}
        </form>
      }
    >
      {what}
    </ConfirmDialog>
  );
}
