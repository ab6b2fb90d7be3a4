import { useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { DeleteOutcome, Tag, TagDeleteResult } from '@berth/api';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose } from '@/components/ui/dialog';
import { FormError } from '@/components/ui/field';
import { ItemList } from '@/components/ui/item-list';
import { deleteErrorMessage, lockedMessage } from '@/lib/delete-error';
import { shortDigest } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useDeleteTag } from '../api/delete-tag';
import { useDeleteTags } from '../api/delete-tags';
import { countOutcomes } from './bulk-selection';

const OUTCOME_ORDER: Record<DeleteOutcome, number> = { refused: 0, absent: 1, deleted: 2 };

export interface DeleteTagsDialogProps {
  repository: string;
  image: string;
  /** The tags that go: one (from its row menu) or the selection. */
  tags: Tag[];
  /** One tag from its row menu (DELETE of that tag), or a bulk delete. */
  single: boolean;
  imageLocked: boolean;
  onChanged?: () => unknown;
  /** The outcome of each tag, once the delete has answered. */
  onDone: (results: TagDeleteResult[]) => void;
  onClose: () => void;
}

/**
 * "Delete tags?": names every tag that goes and says the artifacts stay. A single tag that is
 * deleted closes the dialog with a toast; a refusal, and a bulk delete's outcome per tag, are
 * shown in the dialog.
 */
export function DeleteTagsDialog({ repository, image, tags, single, imageLocked, onChanged, onDone, onClose }: DeleteTagsDialogProps) {
  const { t } = useTranslation();
  const one = useDeleteTag(repository, image, { onChanged });
  const many = useDeleteTags(repository, image, { onChanged });
  const [results, setResults] = useState<TagDeleteResult[] | null>(null);
  const pending = one.isPending || many.isPending;
  const error = one.error ?? many.error;
  const first = tags[0];
  const lockedNames = (names: string[]) => names.filter((n) => imageLocked || tags.find((tag) => tag.name === n)?.locked);

  /** A refused tag's reason: a known lock in words, else what the server said. */
  const refusal = (r: TagDeleteResult) => {
    const tag = tags.find((x) => x.name === r.tag);
    if (tag?.locked || imageLocked) return lockedMessage(t, { lockedTags: tag?.locked ? [r.tag] : [], imageLocked });
    return r.message ?? t('tags.outcome.refused');
  };

  const onConfirm = () => {
    if (single && first) {
      one.mutate(first.name, {
        onSuccess: (result) => {
          onDone([result]);
          if (result.outcome === 'refused') setResults([result]);
          else {
            toast.success(t('tags.deleted', { tag: first.name }));
            onClose();
          }
        },
      });
    } else {
      many.mutate(
        tags.map((tag) => tag.name),
        {
          onSuccess: (response) => {
            onDone(response.results);
            setResults(response.results);
          },
        },
      );
    }
  };

  const errorText = error
    ? deleteErrorMessage(t, error, { tag: first?.name, imageLocked, lockedTags: lockedNames(tags.map((tag) => tag.name)) })
    : null;
  const counts = results && countOutcomes(results);
  const title = results ? t('tags.resultTitle') : single && first ? t('tags.deleteTitle', { tag: first.name }) : t('tags.bulkTitle', { count: tags.length });

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && !pending && onClose()}
      title={title}
      role="alertdialog"
      size={single ? 'md' : 'lg'}
      description={results ? undefined : single && first ? t('tags.deleteBody', { tag: first.name, digest: shortDigest(first.digest) }) : t('tags.bulkBody')}
      footer={
        results ? (
          <Button variant="primary" onClick={onClose} autoFocus>
            {t('common.done')}
          </Button>
        ) : (
          <>
            <DialogClose asChild>
              <Button autoFocus disabled={pending}>
                {t('common.cancel')}
              </Button>
            </DialogClose>
            <Button variant="danger" onClick={onConfirm} busy={pending}>
              {single ? t('tags.deleteConfirm') : t('tags.deleteSelected', { count: tags.length })}
            </Button>
          </>
        )
      }
    >
      <div className="details-stack">
        {!single && !results && (
          <div>
            <h3 className="command-section-title">{t('tags.bulkList')}</h3>
            <ItemList label={t('tags.bulkList')} testId="delete-tags-list">
              {tags.map((tag) => (
                <li key={tag.name}>
                  <span className="mono-wrap strong">{tag.name}</span> <code className="muted small">{shortDigest(tag.digest)}</code>
                </li>
              ))}
            </ItemList>
          </div>
        )}
        {results && counts && (
          <div className="report" data-testid="delete-tags-result">
            <p role="status" className="strong">
              {t('tags.summary', counts)}
            </p>
            {/* Refusals first: they are what needs reading. */}
            <div className="scroll-box" tabIndex={0} role="region" aria-label={t('tags.resultCaption')}>
              <table className="table table-compact">
                <caption className="visually-hidden">{t('tags.resultCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('tags.name')}</th>
                    <th scope="col">{t('fields.status')}</th>
                    <th scope="col">{t('policyTest.message')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...results].sort((x, y) => OUTCOME_ORDER[x.outcome] - OUTCOME_ORDER[y.outcome]).map((r) => (
                    <tr key={r.tag} data-testid="delete-tag-result" data-outcome={r.outcome}>
                      <th scope="row" className="mono-wrap">
                        {r.tag}
                      </th>
                      <td>{t(`tags.outcome.${r.outcome}`)}</td>
                      <td className="small">{r.outcome === 'refused' ? refusal(r) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        <FormError>{errorText}</FormError>
      </div>
    </Dialog>
  );
}
