import { lazy, useState } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Registry } from '@berth/api';
import { Button } from '@/components/ui/button';
import { ClientSuspense } from '@/components/ui/client-suspense';
import { FormError } from '@/components/ui/field';
import { toast } from '@/lib/toast';
import { useRetestRegistry } from '../api/manage-registries';
import { ActionCard } from './action-card';
import { ConnectionTestResult } from './connection-test-result';

const EditAuthDialog = lazy(() => import('./edit-auth-dialog').then((m) => ({ default: m.EditAuthDialog })));
const DeleteRegistryDialog = lazy(() => import('./delete-registry-dialog').then((m) => ({ default: m.DeleteRegistryDialog })));

/**
 * The connection of an external registry (admins): "Test connection" tests the saved settings
 * (kept as its last test) and shows what it found; "Edit authentication information" changes
 * the account after a passed test of it.
 */
export function RegistryConnection({ registry }: { registry: Registry }) {
  const { t } = useTranslation();
  const retest = useRetestRegistry(registry.name);
  const [editing, setEditing] = useState(false);
  return (
    <ActionCard
      title={t('registries.connection.title')}
      body={t('registries.connection.body')}
      action={
        <div className="button-row">
          <Button onClick={() => retest.mutate({})} busy={retest.isPending} data-testid="registry-retest">
            {t('registries.testConnection')}
          </Button>
          <Button onClick={() => setEditing(true)} aria-haspopup="dialog" data-testid="registry-edit-auth">
            {t('registries.editAuth')}
          </Button>
        </div>
      }
    >
      {retest.data && <ConnectionTestResult test={retest.data} />}
      <FormError>{retest.error?.message}</FormError>
      {editing && (
        <ClientSuspense>
          <EditAuthDialog
            registry={registry}
            open={editing}
            onOpenChange={setEditing}
            onSaved={() => {
              retest.reset();
              toast.success(t('registries.authSaved', { name: registry.name }));
            }}
          />
        </ClientSuspense>
      )}
    </ActionCard>
  );
}

/** The registry page's last section (admins): what deleting the registry does, and the button that asks first. */
export function DeleteRegistrySection({ registry, onDeleted }: { registry: Registry; onDeleted: () => unknown }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <section className="details-card danger-zone" aria-labelledby="delete-registry-heading">
      <div className="action-card">
        <div>
          <h2 id="delete-registry-heading" className="section-title">
            {t('registries.deleteSection.title')}
          </h2>
          <p className="muted">{t('registries.deleteSection.body')}</p>
        </div>
        <Button variant="danger" onClick={() => setOpen(true)} aria-haspopup="dialog" data-testid="registry-delete">
          {t('registries.delete')}
        </Button>
      </div>
      {open && (
        <ClientSuspense>
          <DeleteRegistryDialog
            registry={registry}
            open={open}
            onOpenChange={setOpen}
            onDeleted={() => {
              toast.success(t('registries.deleted', { name: registry.name }));
              void onDeleted();
            }}
          />
        </ClientSuspense>
      )}
    </section>
  );
}
