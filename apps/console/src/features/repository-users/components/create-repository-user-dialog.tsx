import { useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Permission, RepositoryUserWithSecret } from '@berth/api';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog';
import { FormError, SelectField, TextField } from '@/components/ui/field';
import { fieldErrors, isApiError } from '@/lib/api-client';
import { useCreateRepositoryUser } from '../api/create-repository-user';

/** The end of the chosen local day, as ISO 8601 UTC; `null` for no expiry. */
function expiryFromDate(date: string): string | null {
  if (!date) return null;
  const end = new Date(`${date}T23:59:59`);
  return Number.isNaN(end.getTime()) ? null : end.toISOString();
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "New user": name, permission, optional expiry; on success the parent shows the secret. */
export function CreateRepositoryUserDialog({
  repository,
  open,
  onOpenChange,
  onCreated,
}: {
  repository: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (user: RepositoryUserWithSecret) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateRepositoryUser(repository);
  const [name, setName] = useState('');
  const [permission, setPermission] = useState<Permission>('pull');
  const [expires, setExpires] = useState('');

  const close = (next: boolean) => {
    if (!next) {
      create.reset();
      setName('');
      setPermission('pull');
      setExpires('');
    }
    onOpenChange(next);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), permission, expiresAt: expiryFromDate(expires) },
      {
        onSuccess: (user) => {
          close(false);
          onCreated(user);
        },
      },
    );
  };

  const errors = fieldErrors(create.error);
  const err = create.error;
  const nameError = errors.name ?? (isApiError(err) && err.code === 'ALREADY_EXISTS' ? t('users.alreadyExists', { name: name.trim() }) : undefined);
  const general = err && !nameError && !errors.permission && !errors.expiresAt ? err.message : null;

  return (
    <Dialog open={open} onOpenChange={close} title={t('users.createTitle')} description={t('users.createDescription', { repository })} modalLock>
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          label={t('fields.name')}
          name="name"
          required
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={63}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint={t('users.nameHint')}
          error={nameError}
        />
        <SelectField
          label={t('fields.permission')}
          name="permission"
          value={permission}
          onChange={(e) => setPermission(e.target.value as Permission)}
          options={[
            { value: 'pull', label: t('permissions.pullLong') },
            { value: 'push', label: t('permissions.pushLong') },
            { value: 'delete', label: t('permissions.deleteLong') },
          ]}
          error={errors.permission}
        />
        <TextField
          label={t('users.expiresOn')}
          name="expiresAt"
          type="date"
          min={today()}
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          hint={t('users.expiresHint')}
          error={errors.expiresAt}
        />
        <FormError>{general}</FormError>
        <DialogFooter>
          <DialogClose asChild>
            <Button>{t('common.cancel')}</Button>
          </DialogClose>
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t('common.create')}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
