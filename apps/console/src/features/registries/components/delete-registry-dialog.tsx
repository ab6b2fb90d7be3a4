import { useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { DeleteRegistryResult, Registry } from '@berth/api';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog';
import { CheckboxField, FormError } from '@/components/ui/field';
import { ItemList } from '@/components/ui/item-list';
import { shortDigest } from '@/lib/format';
import { useDeleteRegistry } from '../api/manage-registries';

/** Whether "Also delete the repository in the registry" is offered: a read-write registry that may delete, bound to one repository. */
export function canDeleteUpstream(registry: Pick<Registry, 'mode' | 'capabilities' | 'repository'>): boolean {
  return registry.mode === 'read-write' && registry.capabilities.includes('delete') && registry.repository !== null;
}

/** `image@sha256:abc…`, `image:tag`, or the image alone (its tags could not be listed). */
const refLabel = (image: string, reference: string) =>
  reference.startsWith('sha256:') ? `${image}@${shortDigest(reference)}` : reference === '*' ? image : `${image}:${reference}`;

/** What a delete with the repository upstream did there: the manifests deleted (with their tags) and what could not be, with why. */
function UpstreamReport({ report }: { report: NonNullable<DeleteRegistryResult['upstream']> }) {
  const { t } = useTranslation();
  return (
    <div className="report" data-testid="delete-registry-report">
      <h3 className="command-section-title">{t('registries.deleteReport.title')}</h3>
      <p data-testid="delete-registry-summary">{t('registries.deleteReport.summary', { deleted: report.deleted.length, failed: report.failed.length })}</p>
      {report.deleted.length > 0 && (
        <ItemList label={t('registries.deleteReport.deleted')} testId="delete-registry-deleted">
          {report.deleted.map((d) => (
            <li key={`${d.image}@${d.digest}`}>
              <code className="mono-wrap">{refLabel(d.image, d.digest)}</code>
              {d.tags.length > 0 && <span className="muted small"> · {d.tags.join(', ')}</span>}
            </li>
          ))}
        </ItemList>
      )}
      {report.failed.length > 0 && (
        <ItemList label={t('registries.deleteReport.failed')} testId="delete-registry-failed">
          {report.failed.map((f) => (
            <li key={`${f.image}@${f.reference}`}>
              <code className="mono-wrap">{refLabel(f.image, f.reference)}</code> — {f.reason}
            </li>
          ))}
        </ItemList>
      )}
    </div>
  );
}

/**
 * Removes a registry from Berth (Cancel has focus first). "Also delete the repository in the
 * registry" is offered for a read-write registry bound to one repository: its content is
 * deleted there first and reported; when some of it could not be deleted, the registry stays
 * (the delete can be retried) and the report says what is left and why.
 */
export function DeleteRegistryDialog({ registry, open, onOpenChange, onDeleted }: { registry: Registry; open: boolean; onOpenChange: (open: boolean) => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteRegistry(registry.name);
  const [upstream, setUpstream] = useState(false);
  const offered = canDeleteUpstream(registry);
  const result = remove.data;
  const done = result?.deleted === true;

  const close = (next: boolean) => {
    if (remove.isPending) return;
    onOpenChange(next);
    if (!next && done) onDeleted();
  };
  const confirm = () =>
    remove.mutate(upstream && offered, {
      onSuccess: (r) => {
        // Nothing to report: gone at once. With a report, it stays on screen until closed.
        if (r.deleted && !r.upstream) {
          onOpenChange(false);
          onDeleted();
        }
      },
    });

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={t('registries.deleteTitle', { name: registry.name })}
      description={done ? t('registries.deletedBody', { name: registry.name }) : t('registries.deleteDescription')}
      role="alertdialog"
      size="lg"
    >
      <div className="form" data-testid="delete-registry-form">
        {!done &&
          (offered ? (
            <CheckboxField
              label={t('registries.deleteUpstream', { repository: registry.repository })}
              name="deleteUpstream"
              checked={upstream}
              disabled={remove.isPending}
              onChange={(e) => setUpstream(e.target.checked)}
              data-testid="delete-upstream"
            />
          ) : (
            <p className="muted small">
              {registry.mode === 'pull-only'
                ? t('registries.deleteUpstreamPullOnly')
                : registry.repository === null
                  ? t('registries.deleteUpstreamNoRepository')
                  : t('registries.deleteUpstreamNotAllowed')}
            </p>
          ))}
        {result?.upstream && <UpstreamReport report={result.upstream} />}
        {result && !result.deleted && <FormError>{t('registries.deleteReport.kept', { name: registry.name })}</FormError>}
        <FormError>{remove.error?.message}</FormError>
        <DialogFooter>
          {done ? (
            <Button variant="primary" onClick={() => close(false)} autoFocus>
              {t('common.done')}
            </Button>
          ) : (
            <>
              <DialogClose asChild>
                <Button autoFocus>{t('common.cancel')}</Button>
              </DialogClose>
              <Button variant="danger" onClick={confirm} busy={remove.isPending} data-testid="confirm-delete-registry">
                {upstream && offered ? t('registries.deleteWithUpstream') : t('registries.delete')}
              </Button>
            </>
          )}
        </DialogFooter>
      </div>
    </Dialog>
  );
}
