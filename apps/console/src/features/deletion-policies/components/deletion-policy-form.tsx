import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { TFunction } from 'i18next';
import type { DeletionPolicy, PutImageDeletionPolicy } from '@berth/api';
import { Button } from '@/components/ui/button';
import { CheckboxField, FormError, TextAreaField, TextField } from '@/components/ui/field';
import { fieldErrors, isApiError } from '@/lib/api-client';
import { POLICY_BOUNDS, serverPolicyErrors, toDraft, validateDraft, type PolicyDraft, type PolicyErrors, type PolicyFieldError } from './policy-form';

/** A field's message in the UI language. */
function errorText(t: TFunction, error: PolicyFieldError | undefined): string | undefined {
  if (!error) return undefined;
  if ('text' in error) return error.text;
  return error.key === 'pattern' ? t('policy.errors.pattern', { pattern: error.pattern }) : t(`policy.errors.${error.key}`);
}

export interface DeletionPolicyFormProps {
  /** The policy the form starts from (an image's own, or the repository's), or none yet. */
  policy: DeletionPolicy | null;
  /** For an image: whether it inherits the repository default now, and that default (shown read-only while inheriting). */
  inherit?: { inheriting: boolean; repositoryDefault: DeletionPolicy | null };
  /** Admins change the policy; viewers read it. */
  canEdit: boolean;
  onSave: (body: PutImageDeletionPolicy) => void;
  saving: boolean;
  /** The save's error: field issues go under their fields, anything else above Save. */
  error: unknown;
}

/**
 * The rules of a deletion policy as a form: enabled; delete untagged, delete older than N days;
 * keep the newest K, keep what was pulled within N days, keep tags matching patterns. It says
 * what is wrong under each field before sending (the API's bounds), and the server's field
 * messages the same way. For an image, "Use repository default" shows the inherited rules read-only.
 */
export function DeletionPolicyForm({ policy, inherit, canEdit, onSave, saving, error }: DeletionPolicyFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [inheriting, setInheriting] = useState(inherit?.inheriting ?? false);
  const [draft, setDraft] = useState<PolicyDraft>(() => toDraft(inherit?.inheriting ? inherit.repositoryDefault : policy));
  const [checked, setChecked] = useState<PolicyErrors>({});
  const [sent, setSent] = useState<DeletionPolicy | undefined>(undefined);
  const shown = inheriting && inherit ? toDraft(inherit.repositoryDefault) : draft;
  const readOnly = !canEdit || inheriting;

  const server = isApiError(error) && error.code === 'VALIDATION_FAILED' ? serverPolicyErrors(fieldErrors(error), sent) : {};
  const errors: PolicyErrors = { ...server, ...checked };
  const general = error && Object.keys(server).length === 0 ? (isApiError(error) || error instanceof Error ? error.message : t('errors.unknown')) : null;

  const set = <K extends keyof PolicyDraft>(key: K, value: PolicyDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    if (key in checked) setChecked((c) => ({ ...c, [key]: undefined }));
  };
  const onMode = (next: boolean) => {
    // Leaving the default starts from its rules, a convenient base for the image's own.
    if (!next && inheriting && inherit) setDraft(toDraft(inherit.repositoryDefault ?? policy));
    setInheriting(next);
    setChecked({});
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (inheriting) return onSave({ inherit: true });
    const result = validateDraft(draft);
    if (result.errors) return setChecked(result.errors);
    setChecked({});
    setSent(result.policy);
    onSave(result.policy);
  };

  const numberField = (key: 'olderThanDays' | 'keepNewest' | 'keepPulledWithinDays', label: string, hint: string, bounds: { min: number; max: number }) => (
    <TextField
      label={label}
      type="number"
      inputMode="numeric"
      min={bounds.min}
      max={bounds.max}
      step={1}
      className="input-number"
      value={shown[key]}
      disabled={readOnly}
      onChange={(e) => set(key, e.target.value)}
      hint={hint}
      error={readOnly ? undefined : errorText(t, errors[key])}
    />
  );

  return (
    <form className="form policy-form" onSubmit={onSubmit} noValidate>
      {inherit && (
        <fieldset className="choice-group" disabled={!canEdit}>
          <legend className="command-section-title">{t('policy.mode')}</legend>
          <label className="choice" htmlFor={`${id}-inherit`}>
            <input type="radio" id={`${id}-inherit`} name={`${id}-mode`} checked={inheriting} onChange={() => onMode(true)} />
            {t('policy.inherit')}
          </label>
          <label className="choice" htmlFor={`${id}-own`}>
            <input type="radio" id={`${id}-own`} name={`${id}-mode`} checked={!inheriting} onChange={() => onMode(false)} />
            {t('policy.override')}
          </label>
        </fieldset>
      )}
      {inheriting && inherit && !inherit.repositoryDefault ? (
        <p className="muted" data-testid="policy-no-default">
          {t('policy.noDefault')}
        </p>
      ) : (
        <div className="policy-rules" data-testid="policy-rules" data-readonly={readOnly || undefined}>
          <CheckboxField label={t('policy.enabled')} checked={shown.enabled} disabled={readOnly} onChange={(e) => set('enabled', e.target.checked)} />
          <fieldset className="policy-group">
            <legend className="command-section-title">{t('policy.deleteRules')}</legend>
            <CheckboxField label={t('policy.untagged')} checked={shown.untagged} disabled={readOnly} onChange={(e) => set('untagged', e.target.checked)} />
            {numberField('olderThanDays', t('policy.olderThanDays'), t('policy.olderThanHint'), POLICY_BOUNDS.days)}
          </fieldset>
          <fieldset className="policy-group">
            <legend className="command-section-title">{t('policy.keepRules')}</legend>
            {numberField('keepNewest', t('policy.keepNewest'), t('policy.keepNewestHint'), POLICY_BOUNDS.newest)}
            {numberField('keepPulledWithinDays', t('policy.keepPulledWithinDays'), t('policy.keepPulledHint'), POLICY_BOUNDS.days)}
            <TextAreaField
              label={t('policy.keepTagPatterns')}
              rows={2}
              value={shown.keepTagPatterns}
              disabled={readOnly}
              spellCheck={false}
              onChange={(e) => set('keepTagPatterns', e.target.value)}
              hint={t('policy.keepTagPatternsHint')}
              error={readOnly ? undefined : errorText(t, errors.keepTagPatterns)}
            />
          </fieldset>
        </div>
      )}
      {canEdit ? (
        <>
          <FormError>{general}</FormError>
          <div className="button-row">
            <Button type="submit" variant="primary" busy={saving}>
              {t('policy.save')}
            </Button>
          </div>
        </>
      ) : (
        <p className="muted small">{t('policy.viewOnly')}</p>
      )}
    </form>
  );
}
