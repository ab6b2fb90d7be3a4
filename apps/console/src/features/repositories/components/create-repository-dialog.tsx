import { useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { Repository } from '@berth/api';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog';
import { FormError, TextField } from '@/components/ui/field';
import { fieldErrors, isApiError } from '@/lib/api-client';
import { useCreateRepository } from '../api/create-repository';

/** "New repository": name and description; the API's validation messages show on their fields. */
export function CreateRepositoryDialog({ open, onOpenChange, onCreated }: { open: boolean; onOpenChange: (open: boolean) => void; onCreated: (repository: Repository) => void }) {
  const { t } = useTranslation();
  const create = useCreateRepository();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');

  const close = (next: boolean) => {
    if (!next) {
      create.reset();
      setName('');
      setDescription('');
    }
    onOpenChange(next);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) },
      {
        onSuccess: (repository) => {
          close(false);
          onCreated(repository);
        },
      },
    );
  };

  const errors = fieldErrors(create.error);
  const err = create.error;
  const nameError = errors.name ?? (isApiError(err) && err.code === 'ALREADY_EXISTS' ? t('repositories.alreadyExists', { name: name.trim() }) : undefined);
  const general = err && !nameError && !errors.description ? err.message : null;

  return (
    <Dialog open={open} onOpenChange={close} title={t('repositories.createTitle')} description={t('repositories.createDescription')} modalLock>
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          label={t('fields.name')}
          name="name"
          required
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint={t('repositories.nameHint')}
          error={nameError}
        />
        <TextField
          label={t('fields.description')}
          name="description"
          maxLength={1024}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={errors.description}
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
