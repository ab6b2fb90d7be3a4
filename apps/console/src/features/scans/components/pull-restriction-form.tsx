import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { TFunction } from 'i18next';
import type { PullRestriction, PutImagePullRestriction } from '@berth/api';
import { Button } from '@/components/ui/button';
import { CheckboxField, FormError } from '@/components/ui/field';
import { Switch } from '@/components/ui/switch';
import { fieldErrors, isApiError } from '@/lib/api-client';
import { InheritChoice } from './inherit-choice';
import {
  LIMIT_BOUNDS,
  serverRestrictionErrors,
  toRestrictionDraft,
  validateRestriction,
  type LimitError,
  type RestrictionDraft,
  type RestrictionErrors,
} from './restriction-draft';

const errorText = (t: TFunction, error: LimitError | undefined) => (!error ? undefined : 'text' in error ? error.text : t('scans.restriction.limitError'));

export interface PullRestrictionFormProps {
  restriction: PullRestriction | null;
  inherit?: { inheriting: boolean; repositoryDefault: PullRestriction | null };
  canEdit: boolean;
  onSave: (body: PutImagePullRestriction) => void;
  saving: boolean;
  error: unknown;
}

/**
 * A pull restriction as a form: on or off; refuse unscanned artifacts (and those the scanner
 * cannot read); refuse when Critical or High vulnerabilities reach a count (1 to 9,999,999,
 * said under the field before sending, as the server would); count only fixable ones.
 */
export function PullRestrictionForm({ restriction, inherit, canEdit, onSave, saving, error }: PullRestrictionFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [inheriting, setInheriting] = useState(inherit?.inheriting ?? false);
  const [draft, setDraft] = useState<RestrictionDraft>(() => toRestrictionDraft(inherit?.inheriting ? inherit.repositoryDefault : restriction));
  const [checked, setChecked] = useState<RestrictionErrors>({});
  const shown = inheriting && inherit ? toRestrictionDraft(inherit.repositoryDefault) : draft;
  const readOnly = !canEdit || inheriting;

  const server = isApiError(error) && error.code === 'VALIDATION_FAILED' ? serverRestrictionErrors(fieldErrors(error)) : {};
  const errors: RestrictionErrors = { ...server, ...checked };
  const general = error && Object.keys(server).length === 0 ? (isApiError(error) || error instanceof Error ? error.message : t('errors.unknown')) : null;

  const set = (next: Partial<RestrictionDraft>) => setDraft((d) => ({ ...d, ...next }));
  const setLimit = (which: 'critical' | 'high', next: Partial<RestrictionDraft['critical']>) => {
    setDraft((d) => ({ ...d, [which]: { ...d[which], ...next } }));
    const field = which === 'critical' ? 'criticalLimit' : 'highLimit';
    if (checked[field]) setChecked((c) => ({ ...c, [field]: undefined }));
  };
  const onMode = (next: boolean) => {
    if (!next && inheriting && inherit) setDraft(toRestrictionDraft(inherit.repositoryDefault ?? restriction));
    setInheriting(next);
    setChecked({});
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (inheriting) return onSave({ inherit: true });
    const result = validateRestriction(draft);
    if (result.errors) return setChecked(result.errors);
    setChecked({});
    onSave(result.restriction);
  };

  const limitRow = (which: 'critical' | 'high', field: 'criticalLimit' | 'highLimit') => {
    const limit = shown[which];
    const message = readOnly ? undefined : errorText(t, errors[field]);
    const inputId = `${id}-${which}`;
    return (
      <div className="lock-editor">
        <div className="lock-row">
          <CheckboxField
            label={t(`scans.restriction.${which}Limit`)}
            checked={limit.on}
            disabled={readOnly}
            onChange={(e) => setLimit(which, { on: e.target.checked })}
            aria-controls={inputId}
          />
          <input
            id={inputId}
            className="input input-number"
            type="number"
            inputMode="numeric"
            min={LIMIT_BOUNDS.min}
            max={LIMIT_BOUNDS.max}
            step={1}
            value={limit.value}
            disabled={readOnly || !limit.on}
            aria-label={t(`scans.restriction.${which}Count`)}
            aria-invalid={message ? true : undefined}
            aria-describedby={message ? `${inputId}-error` : `${inputId}-hint`}
            onChange={(e) => setLimit(which, { value: e.target.value })}
          />
        </div>
        {message ? (
          <p id={`${inputId}-error`} className="field-error">
            {message}
          </p>
        ) : (
          <p id={`${inputId}-hint`} className="field-hint">
            {t('scans.restriction.limitHint')}
          </p>
        )}
      </div>
    );
  };

  return (
    <form className="form policy-form" onSubmit={onSubmit} noValidate data-testid="pull-restriction-form">
      {inherit && (
        <InheritChoice legend={t('scans.restriction.mode')} own={t('scans.restriction.own')} inheriting={inheriting} disabled={!canEdit} onChange={onMode} />
      )}
      {inheriting && inherit && !inherit.repositoryDefault && (
        <p className="muted" data-testid="pull-restriction-no-default">
          {t('scans.restriction.noDefault')}
        </p>
      )}
      <div className="policy-rules" data-readonly={readOnly || undefined}>
        <div className="lock-editor">
          <div className="lock-row">
            <Switch checked={shown.enabled} onChange={(on) => set({ enabled: on })} labelledBy={`${id}-enabled`} describedBy={`${id}-enabled-hint`} disabled={readOnly} />
            <span id={`${id}-enabled`} className="strong">
              {t('scans.restriction.enabled')}
            </span>
          </div>
          <p id={`${id}-enabled-hint`} className="field-hint">
            {t('scans.restriction.enabledHint')}
          </p>
        </div>
        <fieldset className="policy-group">
          <legend className="command-section-title">{t('scans.restriction.rules')}</legend>
          <CheckboxField
            label={t('scans.restriction.refuseUnscanned')}
            checked={shown.refuseUnscanned}
            disabled={readOnly}
            onChange={(e) => set({ refuseUnscanned: e.target.checked })}
          />
          {limitRow('critical', 'criticalLimit')}
          {limitRow('high', 'highLimit')}
          <CheckboxField
            label={t('scans.restriction.ignoreWithoutFix')}
            checked={shown.ignoreWithoutFix}
            disabled={readOnly}
            onChange={(e) => set({ ignoreWithoutFix: e.target.checked })}
          />
        </fieldset>
      </div>
      {canEdit ? (
        <>
          <FormError>{general}</FormError>
          <div className="button-row">
            <Button type="submit" variant="primary" busy={saving}>
              {t('scans.restriction.save')}
            </Button>
          </div>
        </>
      ) : (
        <p className="muted small">{t('scans.viewOnly')}</p>
      )}
    </form>
  );
}
