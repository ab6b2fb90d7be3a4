import { useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { ConnectionTest, Registry } from '@berth/api';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog';
import { FormError, TextField } from '@/components/ui/field';
import { fieldErrors, isApiError } from '@/lib/api-client';
import { useRetestRegistry, useUpdateRegistry } from '../api/manage-registries';
import { connectionTestOf, testStatus, type TestedWith } from '../lib/external';
import { ConnectionTestPanel } from './connection-test-result';

/**
 * "Edit authentication information": a new username and password or token, tested against
 * the saved URL before Save is offered; the server tests it again and saves only a passing one.
 * The current password is never shown: leaving both fields empty signs in anonymously.
 */
export function EditAuthDialog({ registry, open, onOpenChange, onSaved }: { registry: Registry; open: boolean; onOpenChange: (open: boolean) => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const test = useRetestRegistry(registry.name);
  const update = useUpdateRegistry(registry.name);
  const [username, setUsername] = useState(registry.username ?? '');
  const [password, setPassword] = useState('');
  const [result, setResult] = useState<TestedWith<ConnectionTest> | null>(null);
  const body = { username: username.trim() || null, password: password || null };
  const fingerprint = JSON.stringify(body);
  const { passed, stale } = testStatus(result, fingerprint);

  const close = (next: boolean) => {
    if (!next) {
      test.reset();
      update.reset();
      setResult(null);
      setPassword('');
    }
    onOpenChange(next);
  };
  const runTest = () => test.mutate(body, { onSuccess: (answer) => setResult({ fingerprint, test: answer }) });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!passed) return runTest();
    update.mutate(body, {
      onSuccess: () => {
        close(false);
        onSaved();
      },
      onError: (err) => {
        if (isApiError(err) && err.code === 'CONNECTION_FAILED') {
          const failed = connectionTestOf(err.details);
          if (failed) setResult({ fingerprint, test: failed });
        }
      },
    });
  };
  const errors = { ...fieldErrors(test.error), ...fieldErrors(update.error) };
  const err = update.error ?? test.error;
  const general = err && !(isApiError(err) && err.code === 'CONNECTION_FAILED') && Object.keys(errors).length === 0 ? err.message : null;

  return (
    <Dialog open={open} onOpenChange={close} title={t('registries.editAuthTitle', { name: registry.name })} description={t('registries.editAuthDescription', { url: registry.url })} modalLock>
      <form className="form" onSubmit={onSubmit} noValidate data-testid="edit-auth-form">
        <TextField label={t('registries.username')} name="username" autoComplete="off" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} error={errors.username} />
        <TextField
          label={t('registries.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint={t('registries.passwordHint')}
          error={errors.password}
        />
        {result && <ConnectionTestPanel test={result.test} stale={stale} />}
        <FormError>{general}</FormError>
        <DialogFooter>
          <DialogClose asChild>
            <Button>{t('common.cancel')}</Button>
          </DialogClose>
          <Button onClick={runTest} busy={test.isPending} data-testid="connection-test">
            {t('registries.connectionTest')}
          </Button>
          <Button type="submit" variant="primary" busy={update.isPending} disabled={!passed || test.isPending} title={passed ? undefined : t('registries.saveNeedsTest')} data-testid="save-auth">
            {t('registries.save')}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
