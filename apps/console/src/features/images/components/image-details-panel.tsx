import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { Link } from 'react-router';
import type { Image } from '@berth/api';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { FactList } from '@/components/ui/fact-list';
import { FormError } from '@/components/ui/field';
import { RelativeTime } from '@/components/ui/relative-time';
import { Spinner } from '@/components/ui/spinner';
import { StatusBadge } from '@/components/ui/status-badge';
import { fieldErrors, isApiError } from '@/lib/api-client';
import { formatNumber } from '@/lib/format';
import { paths } from '@/lib/paths';
import { toast } from '@/lib/toast';
import { useImage } from '../api/get-image';
import { useUpdateImage } from '../api/update-image';
import { ImageLock } from './image-lock';

const DESCRIPTION_MAX = 4096;

export interface ImageDetailsPanelProps {
  repository: string;
  name: string;
  /** The registry the image lives in: its name (linked to its page) and the host people push to. */
  registry?: { name: string; host: string };
  /** Admins edit the description and the lock; viewers read them. */
  canEdit: boolean;
}

/** The Details tab: who made and changed the image and when, where it lives, pulls, its lock and its description. */
export function ImageDetailsPanel({ repository, name, registry, canEdit }: ImageDetailsPanelProps) {
  const { t, i18n } = useTranslation();
  const query = useImage(repository, name);
  if (query.isPending) return <Spinner block />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const image = query.data;
  const facts = [
    { label: t('fields.status'), value: <StatusBadge status={image.status} /> },
    { label: t('imageDetails.name'), value: <span className="mono-wrap">{image.name}</span> },
    {
      label: t('imageDetails.registry'),
      testId: 'details-registry',
      value: registry ? (
        <>
          <Link to={paths.registry(registry.name)}>{registry.name}</Link> <span className="muted">· {registry.host}</span>
        </>
      ) : (
        <span className="muted">—</span>
      ),
    },
    { label: t('imageDetails.repository'), value: <Link to={paths.repository(repository)}>{repository}</Link> },
    { label: t('images.pullCount'), value: <span className="num" data-testid="details-pull-count">{formatNumber(image.pullCount, i18n.language)}</span> },
    { label: t('imageDetails.creator'), value: image.createdBy },
    { label: t('imageDetails.created'), value: <RelativeTime value={image.createdAt} /> },
    { label: t('imageDetails.editor'), value: image.updatedBy },
    { label: t('imageDetails.edited'), value: <RelativeTime value={image.updatedAt} /> },
  ];
  return (
    <section className="details-card" aria-labelledby="image-details-heading">
      <h2 id="image-details-heading" className="visually-hidden">
        {t('imageDetails.title')}
      </h2>
      <FactList facts={facts} className="facts-rows" />
      <ImageLock repository={repository} image={image} canEdit={canEdit} />
      <DescriptionEditor repository={repository} image={image} canEdit={canEdit} />
    </section>
  );
}

/** The description, read in place; admins edit it inline (Save / Cancel, Escape cancels). */
function DescriptionEditor({ repository, image, canEdit }: { repository: string; image: Image; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const update = useUpdateImage(repository, image.name);
  const [draft, setDraft] = useState<string | null>(null);
  const editing = draft !== null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (draft === null) return;
    update.mutate(
      { description: draft.trim() },
      {
        onSuccess: () => {
          setDraft(null);
          toast.success(t('imageDetails.descriptionSaved'));
        },
      },
    );
  };
  const error = update.error ? (fieldErrors(update.error).description ?? (isApiError(update.error) ? update.error.message : t('errors.unknown'))) : null;

  return (
    <div className="description-editor">
      <div className="section-head">
        <h3 className="command-section-title" id={`${id}-label`}>
          {t('fields.description')}
        </h3>
        {canEdit && !editing && (
          <Button size="sm" onClick={() => setDraft(image.description)} aria-label={t('imageDetails.editDescription')}>
            {t('imageDetails.edit')}
          </Button>
        )}
      </div>
      {editing ? (
        <form onSubmit={onSubmit} className="form" onKeyDown={(e) => e.key === 'Escape' && !update.isPending && setDraft(null)}>
          <textarea
            id={`${id}-input`}
            className="input textarea"
            aria-labelledby={`${id}-label`}
            aria-describedby={`${id}-hint`}
            value={draft}
            maxLength={DESCRIPTION_MAX}
            rows={5}
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
          />
          <p id={`${id}-hint`} className="field-hint">
            {t('imageDetails.descriptionHint', { count: DESCRIPTION_MAX - draft.length, value: formatNumber(DESCRIPTION_MAX - draft.length, i18n.language) })}
          </p>
          <FormError>{error}</FormError>
          <div className="button-row">
            <Button type="submit" variant="primary" busy={update.isPending}>
              {t('imageDetails.save')}
            </Button>
            <Button onClick={() => setDraft(null)} disabled={update.isPending}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      ) : image.description ? (
        <p className="prewrap" data-testid="image-description">
          {image.description}
        </p>
      ) : (
        <p className="muted" data-testid="image-description">
          {t('images.noDescription')}
        </p>
      )}
    </div>
  );
}
