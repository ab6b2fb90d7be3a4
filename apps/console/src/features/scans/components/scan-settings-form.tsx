import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '@/lib/use-translation';
import type { PutImageScanSettings, ScanSettings } from '@berth/api';
import { Button } from '@/components/ui/button';
import { CheckboxField, FormError, SelectField } from '@/components/ui/field';
import { Switch } from '@/components/ui/switch';
import { isApiError } from '@/lib/api-client';
import { InheritChoice } from './inherit-choice';
import { AT_OR_BELOW_CHOICES, atOrBelowOf, DEFAULT_SCAN_SETTINGS } from './scan-settings-draft';

export interface ScanSettingsFormProps {
  /** The settings the form starts from (an image's own, or the repository's), or none yet. */
  settings: ScanSettings | null;
  /** For an image: whether it inherits the repository default now, and that default (shown read-only while inheriting). */
  inherit?: { inheriting: boolean; repositoryDefault: ScanSettings | null };
  canEdit: boolean;
  onSave: (body: PutImageScanSettings) => void;
  saving: boolean;
  error: unknown;
}

/**
 * Scan settings as a form: "Scan on push" (for pushes after it is turned on) and the
 * exclusions: language packages, secrets, vulnerabilities without a fix, and levels at or
 * below one. For an image, "Use repository default" shows the inherited settings read-only.
 */
export function ScanSettingsForm({ settings, inherit, canEdit, onSave, saving, error }: ScanSettingsFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [inheriting, setInheriting] = useState(inherit?.inheriting ?? false);
  const [draft, setDraft] = useState<ScanSettings>(() => (inherit?.inheriting ? inherit.repositoryDefault : settings) ?? DEFAULT_SCAN_SETTINGS);
  const shown = inheriting && inherit ? (inherit.repositoryDefault ?? DEFAULT_SCAN_SETTINGS) : draft;
  const readOnly = !canEdit || inheriting;
  const general = error ? (isApiError(error) || error instanceof Error ? error.message : t('errors.unknown')) : null;

  const exclude = <K extends keyof ScanSettings['exclude']>(key: K, value: ScanSettings['exclude'][K]) =>
    setDraft((d) => ({ ...d, exclude: { ...d.exclude, [key]: value } }));
  const onMode = (next: boolean) => {
    if (!next && inheriting && inherit) setDraft(inherit.repositoryDefault ?? settings ?? DEFAULT_SCAN_SETTINGS);
    setInheriting(next);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onSave(inheriting ? { inherit: true } : draft);
  };

  return (
    <form className="form policy-form" onSubmit={onSubmit} noValidate data-testid="scan-settings-form">
      {inherit && <InheritChoice legend={t('scans.settings.mode')} own={t('scans.settings.own')} inheriting={inheriting} disabled={!canEdit} onChange={onMode} />}
      {inheriting && inherit && !inherit.repositoryDefault && (
        <p className="muted" data-testid="scan-settings-no-default">
          {t('scans.settings.noDefault')}
        </p>
      )}
      <div className="policy-rules" data-readonly={readOnly || undefined}>
        <div className="lock-editor">
          <div className="lock-row">
            <Switch
              checked={shown.scanOnPush}
              onChange={(on) => setDraft((d) => ({ ...d, scanOnPush: on }))}
              labelledBy={`${id}-push`}
              describedBy={`${id}-push-hint`}
              disabled={readOnly}
            />
            <span id={`${id}-push`} className="strong">
              {t('scans.settings.scanOnPush')}
            </span>
          </div>
          <p id={`${id}-push-hint`} className="field-hint">
            {t('scans.settings.scanOnPushHint')}
          </p>
        </div>
        <fieldset className="policy-group">
          <legend className="command-section-title">{t('scans.settings.exclusions')}</legend>
          <p className="muted small">{t('scans.settings.exclusionsHint')}</p>
          <CheckboxField
            label={t('scans.settings.languagePackages')}
            checked={shown.exclude.languagePackages}
            disabled={readOnly}
            onChange={(e) => exclude('languagePackages', e.target.checked)}
          />
          <CheckboxField label={t('scans.settings.secrets')} checked={shown.exclude.secrets} disabled={readOnly} onChange={(e) => exclude('secrets', e.target.checked)} />
          <CheckboxField
            label={t('scans.settings.withoutFix')}
            checked={shown.exclude.withoutFix}
            disabled={readOnly}
            onChange={(e) => exclude('withoutFix', e.target.checked)}
          />
          <SelectField
            label={t('scans.settings.atOrBelow')}
            className="input-number"
            value={shown.exclude.atOrBelow ?? ''}
            disabled={readOnly}
            onChange={(e) => exclude('atOrBelow', atOrBelowOf(e.target.value))}
            options={AT_OR_BELOW_CHOICES.map((value) => ({ value, label: value === '' ? t('scans.settings.nothing') : t(`scans.severity.${value}`) }))}
          />
        </fieldset>
      </div>
      {canEdit ? (
        <>
          <FormError>{general}</FormError>
          <div className="button-row">
            <Button type="submit" variant="primary" busy={saving}>
              {t('scans.settings.save')}
            </Button>
          </div>
        </>
      ) : (
        <p className="muted small">{t('scans.viewOnly')}</p>
      )}
    </form>
  );
}
