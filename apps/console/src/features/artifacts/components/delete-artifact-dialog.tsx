import { useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Artifact, ArtifactDeleteResult } from '@berth/api';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormError } from '@/components/ui/field';
import { LockBadge } from '@/components/ui/lock-badge';
import { ItemList } from '@/components/ui/item-list';
import { deleteErrorMessage, lockedMessage } from '@/lib/delete-error';
import { formatBytes, shortDigest } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useDeleteArtifact } from '../api/delete-artifact';

export interface DeleteArtifactDialogProps {
  repository: string;
  image: string;
  artifact: Artifact;
  /** The artifacts the list shows: to tell whether a referrer is an index listing this one, or a signature referring to it. */
  listed: readonly Artifact[];
  imageLocked: boolean;
  onChanged?: () => unknown;
  onClose: () => void;
}

/** "Delete artifact sha256:…?": names the digest and every tag that goes with it; a refusal is said in words. */
export function DeleteArtifactDialog({ repository, image, artifact, listed, imageLocked, onChanged, onClose }: DeleteArtifactDialogProps) {
  const { t, i18n } = useTranslation();
  const remove = useDeleteArtifact(repository, image, { onChanged });
  const [refused, setRefused] = useState<ArtifactDeleteResult | null>(null);
  const digest = shortDigest(artifact.digest);

  const referrerKind = (referrer: string) => {
    const found = listed.find((a) => a.digest === referrer);
    if (found?.children?.some((c) => c.digest === artifact.digest)) return 'index';
    if (found?.subject === artifact.digest) return 'referrer';
    return undefined;
  };

  const onConfirm = () =>
    remove.mutate(artifact.digest, {
      onSuccess: (response) => {
        const result = response.results.find((r) => r.digest === artifact.digest) ?? response.results[0];
        if (result && result.outcome === 'refused') return setRefused(result);
        toast.success(t('artifacts.deleted', { digest, size: formatBytes(response.bytes, i18n.language) }));
        onClose();
      },
    });

  const errorText = remove.error
    ? deleteErrorMessage(t, remove.error, { digest: artifact.digest, lockedTags: artifact.lockedTags, imageLocked, referrerKind })
    : refused
      ? artifact.lockedTags.length > 0 || imageLocked
        ? lockedMessage(t, { lockedTags: artifact.lockedTags, imageLocked })
        : (refused.message ?? t('tags.outcome.refused'))
      : null;

  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && !remove.isPending && onClose()}
      title={t('artifacts.deleteTitle', { digest })}
      confirmLabel={t('artifacts.deleteConfirm')}
      onConfirm={onConfirm}
      busy={remove.isPending}
      danger
      details={
        <div className="details-stack">
          <p className="mono-wrap small" data-testid="delete-artifact-digest">
            {artifact.digest}
          </p>
          {artifact.tags.length > 0 ? (
            <div>
              <p>{t('artifacts.deleteTags', { count: artifact.tags.length })}</p>
              <ItemList label={t('artifacts.tags')} testId="delete-artifact-tags">
                {artifact.tags.map((tag) => (
                  <li key={tag}>
                    <span className="mono-wrap strong">{tag}</span>{' '}
                    {artifact.lockedTags.includes(tag) && <LockBadge label={t('lock.tagLocked', { tag })} />}
                  </li>
                ))}
              </ItemList>
            </div>
          ) : (
            <p className="muted">{t('artifacts.deleteNoTags')}</p>
          )}
          {(artifact.children?.length ?? 0) > 0 && <p className="muted">{t('artifacts.deleteChildren', { count: artifact.children?.length ?? 0 })}</p>}
          <FormError>{errorText}</FormError>
        </div>
      }
    >
      {t('artifacts.deleteBody', { digest })}
    </ConfirmDialog>
  );
}
