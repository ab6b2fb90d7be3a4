import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Image } from '@berth/api';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
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

const DESCRIPTION_MAX = 4096;

export interface ImageDetailsPanelProps {
  repository: string;
  name: string;
  /** The registry the image lives in, as people name it (`default · registry.example.com`). */
  registry?: string;
  /** Admins edit the description; viewers read it. */
  canEdit: boolean;
}

/** The Details tab: who made and changed the image and when, where it lives, pulls, and its description. */
export function ImageDetailsPanel({ repository, name, registry, canEdit }: ImageDetailsPanelProps) {
  const { t, i18n } = useTranslation();
  const query = useImage(repository, name);
  if (query.isPending) return <Spinner block />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const image = query.data;
  const rows: [string, ReactNode][] = [
    [t('fields.status'), <StatusBadge status={image.status} />],
    [t('imageDetails.name'), <span className="mono-wrap">{image.name}</span>],
    [t('imageDetails.registry'), registry ?? <span className="muted">—</span>],
    [t('imageDetails.repository'), <Link to={paths.repository(repository)}>{repository}</Link>],
    [t('images.pullCount'), <span className="num" data-testid="details-pull-count">{formatNumber(image.pullCount, i18n.language)}</span>],
    [t('imageDetails.creator'), image.createdBy],
    [t('imageDetails.created'), <RelativeTime value={image.createdAt} />],
    [t('imageDetails.editor'), image.updatedBy],
    [t('imageDetails.edited'), <RelativeTime value={image.updatedAt} />],
  ];
  return (
    <section className="details-card" aria-labelledby="image-details-heading">
      <h2 id="image-details-heading" className="visually-hidden">
        {t('imageDetails.title')}
      </h2>
      <dl className="facts facts-rows">
        {rows.map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
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
