import { useTranslation } from '@/lib/use-translation';
import type { PolicyRunResponse, PolicyTestResponse } from '@berth/api';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormError } from '@/components/ui/field';
import { ItemList } from '@/components/ui/item-list';
import { deleteErrorMessage } from '@/lib/delete-error';
import { formatBytes, shortDigest } from '@/lib/format';
import { toast } from '@/lib/toast';
import { useRunDeletionPolicy } from '../api/run-deletion-policy';
import { reasonText } from './policy-reasons';

export interface RunPolicyDialogProps {
  repository: string;
  image: string;
  /** The test the user has just read: the run deletes what it lists. */
  test: PolicyTestResponse;
  onChanged?: () => unknown;
  onRan: (run: PolicyRunResponse) => void;
  onClose: () => void;
}

/** "Run the deletion policy now?": states that it deletes exactly what the test lists (and frees), lists it, then runs it. */
export function RunPolicyDialog({ repository, image, test, onChanged, onRan, onClose }: RunPolicyDialogProps) {
  const { t, i18n } = useTranslation();
  const run = useRunDeletionPolicy(repository, image, { onChanged });
  const onConfirm = () =>
    // The run deletes exactly the list shown here, or nothing (the console then says to test again).
    run.mutate(test.deleteSet, {
      onSuccess: (response) => {
        onRan(response);
        toast.success(t('policyTest.runDone', { size: formatBytes(response.bytes, i18n.language) }));
        onClose();
      },
    });
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && !run.isPending && onClose()}
      title={t('policyTest.runTitle', { image })}
      confirmLabel={t('policyTest.runConfirm')}
      onConfirm={onConfirm}
      busy={run.isPending}
      confirmDisabled={test.delete.length === 0}
      danger
      details={
        <div className="details-stack">
          {test.delete.length > 0 ? (
            <ItemList label={t('policyTest.wouldDelete')} testId="run-policy-list">
              {test.delete.map((v, i) => (
                <li key={`${v.tag ?? ''}@${v.digest}#${i}`}>
                  <span className={v.tag ? 'strong mono-wrap' : 'muted'}>{v.tag ?? t('policyTest.untagged')}</span> <code className="small">{shortDigest(v.digest)}</code>{' '}
                  <span className="muted small">· {reasonText(t, v, test.policy)}</span>
                </li>
              ))}
            </ItemList>
          ) : (
            <p className="muted">{t('policyTest.nothingToDelete')}</p>
          )}
          <FormError>{run.error ? deleteErrorMessage(t, run.error) : null}</FormError>
        </div>
      }
    >
      {t('policyTest.runBody', { count: test.delete.length, size: formatBytes(test.bytes, i18n.language) })}
    </ConfirmDialog>
  );
}
