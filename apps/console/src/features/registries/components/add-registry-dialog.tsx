import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { ConnectionTest, Registry, RegistryConnectionRequest, RegistryMode } from '@berth/api';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog';
import { CheckboxField, FormError, SelectField, TextField } from '@/components/ui/field';
import { fieldErrors, isApiError } from '@/lib/api-client';
import { useCreateRegistry, useTestConnection } from '../api/manage-registries';
import { connectionFingerprint, connectionTestOf, testStatus, urlProblem, type TestedWith } from '../lib/external';
import { ConnectionTestPanel } from './connection-test-result';

/** Where Docker Hub's registry API is: filled in, not asked for. */
const DOCKER_HUB_URL = 'https://registry-1.docker.io';

type RegistryTypeChoice = RegistryConnectionRequest['type'];

/**
 * "Add registry" (or "Add pull-only registry", the mode then fixed): name, type, URL,
 * repository, account. The Connection Test runs the registry's real sign-in flow; Save is
 * offered only after a test of exactly these values passed (any edit asks for a new one), and
 * the server tests again before it saves (its failed test shows here the same way).
 */
export function AddRegistryDialog({
  mode: initialMode,
  open,
  onOpenChange,
  onCreated,
}: {
  /** `pull-only`: the dialog of "Add pull-only registry", where the mode cannot be changed. */
  mode: RegistryMode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (registry: Registry) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const test = useTestConnection();
  const create = useCreateRegistry();
  const modeFixed = initialMode === 'pull-only';
  const [name, setName] = useState('');
  const [type, setType] = useState<RegistryTypeChoice>('registry');
  const [url, setUrl] = useState('');
  const [insecure, setInsecure] = useState(false);
  const [mode, setMode] = useState<RegistryMode>(initialMode);
  const [repository, setRepository] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [result, setResult] = useState<TestedWith<ConnectionTest> | null>(null);

  const dockerHub = type === 'dockerhub';
  const request: RegistryConnectionRequest = {
    type,
    url: dockerHub ? DOCKER_HUB_URL : url.trim(),
    insecure: dockerHub ? false : insecure,
    mode,
    repositoryMode: 'existing',
    repository: repository.trim() || null,
    username: username.trim() || null,
    password: password || null,
  };
  const fingerprint = connectionFingerprint(request);
  const { passed, stale } = testStatus(result, fingerprint);
  const problem = !dockerHub && url.trim() ? urlProblem(url) : null;
  const missingUrl = !dockerHub && !url.trim();

  const close = (next: boolean) => {
    if (!next) {
      test.reset();
      create.reset();
      setResult(null);
      setPassword('');
    }
    onOpenChange(next);
  };

  const runTest = () => {
    create.reset();
    test.mutate(request, { onSuccess: (answer) => setResult({ fingerprint, test: answer }) });
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!passed) {
      if (!problem && !missingUrl) runTest();
      return;
    }
    create.mutate(
      { ...request, name: name.trim() },
      {
        onSuccess: (registry) => {
          close(false);
          onCreated(registry);
        },
        onError: (err) => {
          // The server's own test failed (the registry changed since ours): show it like ours.
          if (isApiError(err) && err.code === 'CONNECTION_FAILED') {
            const failed = connectionTestOf(err.details);
            if (failed) setResult({ fingerprint, test: failed });
          }
        },
      },
    );
  };

  const errors = { ...fieldErrors(test.error), ...fieldErrors(create.error) };
  const nameError = errors.name ?? (isApiError(create.error) && create.error.code === 'ALREADY_EXISTS' ? t('registries.alreadyExists', { name: name.trim() }) : undefined);
  const err = create.error ?? test.error;
  const shownElsewhere = isApiError(err) && (err.code === 'CONNECTION_FAILED' || err.code === 'ALREADY_EXISTS');
  const general = err && !shownElsewhere && Object.keys(errors).length === 0 ? err.message : null;
  // After a passed test, the repositories it listed can be picked instead of typed.
  const listed = result?.test.ok && result.test.catalog?.allowed ? result.test.catalog.repositories : [];

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={modeFixed ? t('registries.addPullOnlyTitle') : t('registries.addTitle')}
      description={modeFixed ? t('registries.addPullOnlyDescription') : t('registries.addDescription')}
      size="lg"
      modalLock
    >
      <form className="form" onSubmit={onSubmit} noValidate data-testid="add-registry-form">
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
          hint={t('registries.nameHint')}
          error={nameError}
        />
        <div className="form-row">
          <SelectField
            label={t('registries.type')}
            name="type"
            value={type}
            onChange={(e) => setType(e.target.value as RegistryTypeChoice)}
            options={[
              { value: 'registry', label: t('registries.types.registry') },
              { value: 'dockerhub', label: t('registries.types.dockerhub') },
            ]}
          />
          <SelectField
            label={t('registries.mode')}
            name="mode"
            value={mode}
            disabled={modeFixed}
            onChange={(e) => setMode(e.target.value as RegistryMode)}
            hint={modeFixed ? t('registries.modeFixed') : undefined}
            options={[
              { value: 'read-write', label: t('registries.modes.read-write') },
              { value: 'pull-only', label: t('registries.modes.pull-only') },
            ]}
          />
        </div>
        {dockerHub ? (
          <p className="muted small" data-testid="docker-hub-url">
            {t('registries.dockerHubUrl', { url: DOCKER_HUB_URL })}
          </p>
        ) : (
          <>
            <TextField
              label={t('registries.url')}
              name="url"
              type="url"
              required
              autoComplete="off"
              spellCheck={false}
              placeholder="https://registry.example.com"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              hint={t('registries.urlHint')}
              error={errors.url ?? (problem ? t(`registries.urlProblems.${problem}`) : undefined)}
            />
            <CheckboxField label={t('registries.insecure')} name="insecure" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} />
          </>
        )}
        <fieldset className="choice-group">
          <legend className="field-legend">{t('registries.repositoryChoice')}</legend>
          <label className="choice" htmlFor={`${id}-existing`}>
            <input type="radio" id={`${id}-existing`} name={`${id}-repo-mode`} value="existing" checked readOnly />
            <span>{t('registries.useExisting')}</span>
          </label>
          <label className="choice choice-disabled" htmlFor={`${id}-new`}>
            <input type="radio" id={`${id}-new`} name={`${id}-repo-mode`} value="new" disabled aria-describedby={`${id}-new-hint`} />
            <span>{t('registries.createNew')}</span>
          </label>
          <p id={`${id}-new-hint`} className="field-hint choice-group-hint">
            {t('registries.createNewHint')}
          </p>
        </fieldset>
        <TextField
          label={t('registries.existingRepository')}
          name="repository"
          autoComplete="off"
          spellCheck={false}
          value={repository}
          onChange={(e) => setRepository(e.target.value)}
          hint={t('registries.repositoryHint')}
          error={errors.repository}
        />
        {listed.length > 0 && (
          <SelectField
            label={t('registries.repositoryListed')}
            name="listedRepository"
            value={listed.includes(repository.trim()) ? repository.trim() : ''}
            onChange={(e) => setRepository(e.target.value)}
            hint={t('registries.repositoryListedHint')}
            data-testid="listed-repositories"
            options={[{ value: '', label: t('registries.allRepositories') }, ...listed.map((r) => ({ value: r, label: r }))]}
          />
        )}
        <div className="form-row">
          <TextField
            label={t('registries.username')}
            name="username"
            autoComplete="off"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={errors.username}
          />
          <TextField
            label={t('registries.password')}
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
          />
        </div>
        <p className="field-hint">{t('registries.passwordHint')}</p>
        {result && <ConnectionTestPanel test={result.test} stale={stale} />}
        <FormError>{general}</FormError>
        <DialogFooter>
          <DialogClose asChild>
            <Button>{t('common.cancel')}</Button>
          </DialogClose>
          <Button onClick={runTest} busy={test.isPending} disabled={Boolean(problem) || missingUrl} data-testid="connection-test">
            {t('registries.connectionTest')}
          </Button>
          <Button
            type="submit"
            variant="primary"
            busy={create.isPending}
            disabled={!passed || !name.trim() || test.isPending}
            title={passed ? undefined : t('registries.saveNeedsTest')}
            data-testid="save-registry"
          >
            {t('registries.save')}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
